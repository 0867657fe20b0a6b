using Entice.Crypto.Identity;
using Entice.Crypto.Ratchet;
using Entice.Tests.Crypto;
using Entice.Wire;

namespace Entice.Tests.Support;

/// <summary>
/// A genuine peer for a <see cref="FakeRelay"/> to speak for: real keys and the session book the clients
/// use, writing the envelopes its client would send (numbered per conversation as a client numbers them),
/// which the relay then delivers, or not; and reading what a real client sent it.
/// </summary>
internal sealed class HonestPeer(string name) : IDisposable
{
    private readonly Party _party = new(name);
    private ulong _nextId = 1000;

    public string Name => name;

    public MemberInfo Member => new(name, _party.Keys.Bundle);

    /// <summary>
    /// An envelope to <paramref name="to"/> as the relay would deliver it (sender stamped), with envelope id
    /// <paramref name="id"/> or the next of this peer's own.
    /// </summary>
    public Envelope Message(MemberInfo to, string text, ulong? id = null, string room = "lobby", bool direct = false)
    {
        var envelopeId = id ?? _nextId++;
        var context = new MessageContext(room, name, to.Name, direct, envelopeId);
        var plaintext = new ChatPlaintext(_party.Book.NextSendSequence(to.Name, context.Conversation),
            DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), text).Encode();
        var ciphertext = _party.Book.Encrypt(new PeerKeys(to.Name, to.Identity), context, plaintext);
        return new Envelope(room, name, to.Name, envelopeId, direct, ciphertext);
    }

    /// <summary>Decrypts what <paramref name="from"/> (a real client) sent this peer; fails the spec if it cannot.</summary>
    public ChatPlaintext Read(Envelope envelope, MemberInfo from)
    {
        var context = new MessageContext(envelope.Room, from.Name, name, envelope.Direct, envelope.Id);
        var result = _party.Book.Decrypt(new PeerKeys(from.Name, from.Identity), context, envelope.Ciphertext);
        Assert.True(result.Succeeded, $"{name} could not decrypt {from.Name}'s envelope: {result.Failure}");
        Assert.True(ChatPlaintext.TryDecode(result.Plaintext, out var plaintext));
        return plaintext;
    }

    public void Dispose() => _party.Dispose();
}
