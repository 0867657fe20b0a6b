using Entice.Crypto.Group;
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
    private readonly Dictionary<string, SenderKeyReceiver> _receivers = new(StringComparer.Ordinal);
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

    /// <summary>A pairwise envelope that carries <paramref name="from"/>'s sender key for its room: taken.</summary>
    public void TakeSenderKey(Envelope envelope, MemberInfo from)
    {
        var context = new MessageContext(envelope.Room, from.Name, name, envelope.Direct, envelope.Id);
        var result = _party.Book.Decrypt(new PeerKeys(from.Name, from.Identity), context, envelope.Ciphertext);
        Assert.True(result.Succeeded, $"{name} could not decrypt {from.Name}'s envelope: {result.Failure}");
        var parsed = SenderKeyDistribution.Parse(result.Plaintext);
        Assert.True(parsed.Succeeded, parsed.Reason);
        if (!_receivers.TryGetValue(envelope.Room, out var receiver))
            _receivers[envelope.Room] = receiver = new SenderKeyReceiver(envelope.Room, SenderKeyOptions.Default);
        Assert.Equal(DistributionOutcome.Accepted, receiver.Accept(parsed.Distribution!, from.Name));
    }

    /// <summary>A room-wide envelope from <paramref name="from"/>, read against the room as <paramref name="members"/> (everyone, this peer included).</summary>
    public ChatPlaintext ReadRoom(Envelope envelope, MemberInfo from, IEnumerable<MemberInfo> members)
    {
        Assert.True(SenderKeyReceiver.TryPeekEpoch(envelope.Ciphertext, out var epoch));
        var view = RosterView.Create(epoch, members.Select(m => RosterMember.Of(m.Name, PublicIdentity.FromBundle(m.Identity))));
        var result = _receivers[envelope.Room].Decrypt(from.Name, envelope.Id, envelope.Ciphertext, view);
        Assert.True(result.Succeeded, $"{name} could not read {from.Name}'s room message: {result}");
        Assert.True(ChatPlaintext.TryDecode(result.Plaintext, out var plaintext));
        return plaintext;
    }

    public void Dispose()
    {
        foreach (var receiver in _receivers.Values)
            receiver.Dispose();
        _party.Dispose();
    }
}
