using Entice.Tests.Crypto;
using Entice.Wire;
using Entice.Crypto.Identity;
using Entice.Crypto.Ratchet;

namespace Entice.Tests.Hostile;

/// <summary>
/// A genuine peer of the victim in lying-relay specs: real keys and a real session book (the crypto the
/// clients use), writing the envelopes its client would send, which the lying relay then delivers, or not.
/// </summary>
internal sealed class HonestPeer(string name) : IDisposable
{
    private readonly Party _party = new(name);
    private ulong _sequence;

    public string Name => name;

    public MemberInfo Member => new(name, _party.Keys.Bundle);

    /// <summary>A room message to <paramref name="to"/> with envelope id <paramref name="id"/>, numbered like a client numbers them.</summary>
    public Envelope Message(MemberInfo to, string text, ulong id, string room = "lobby")
    {
        var plaintext = new ChatPlaintext(++_sequence, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), text).Encode();
        var ciphertext = _party.Book.Encrypt(new PeerKeys(to.Name, to.Identity), new MessageContext(room, name, to.Name, false, id), plaintext);
        return new Envelope(room, name, to.Name, id, false, ciphertext);
    }

    public void Dispose() => _party.Dispose();
}
