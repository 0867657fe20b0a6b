using Akka.Actor;
using Entice.Crypto;
using Entice.Wire;

namespace Entice.Client;

/// <summary>
/// The client's crypto actor: the only place that holds private keys and session state, and the only
/// place where plaintext becomes ciphertext and back. It pins peers' keys (trust on first use) and
/// refuses to encrypt to a peer whose key changed until the user accepts the change.
/// </summary>
public static class CryptoAgent
{
    /// <param name="identity">Ownership passes to the actor, which disposes it when it stops.</param>
    public static Props Props(string name, IdentityKeys identity, KeyDirectory keys, int maxSkip) =>
        Akka.Actor.Props.Create(() => new CryptoAgentActor(name, identity, keys, maxSkip));

    public sealed record GetIdentity;

    public sealed record IdentityInfo(IdentityBundle Bundle, string Fingerprint);

    public sealed record SignHello(byte[] Challenge);

    public sealed record HelloSigned(byte[] Signature);

    /// <summary>A member was announced by the server: pin or compare its keys.</summary>
    public sealed record ObservePeer(MemberInfo Peer);

    public sealed record PeerObserved(string Name, PeerKeyStatus Status);

    /// <summary>Encrypt <paramref name="Text"/> for one recipient; answered with Encrypted or EncryptRefused.</summary>
    public sealed record Encrypt(MemberInfo Recipient, string Room, bool Direct, string Text, ulong EnvelopeId)
    {
        public override string ToString() => $"Encrypt {{ Recipient = {Recipient.Name}, Room = {Room}, Id = {EnvelopeId} }}";
    }

    public sealed record Encrypted(Envelope Envelope);

    public sealed record EncryptRefused(string Recipient, string Code, string Reason);

    /// <summary>
    /// Decrypt an envelope from <paramref name="Sender"/>; answered, in request order, with Decrypted,
    /// DecryptRejected or DecryptHeld carrying the same <paramref name="Ticket"/>.
    /// </summary>
    public sealed record Decrypt(Envelope Envelope, MemberInfo Sender, ulong Ticket = 0);

    public sealed record Decrypted(string Room, string From, bool Direct, ChatPlaintext Plaintext, ulong Ticket = 0);

    public sealed record DecryptRejected(string From, string Code, string Reason, ulong Ticket = 0);

    /// <summary>
    /// From a peer whose key changed: kept, unread, until the user trusts the new key; then it is
    /// answered again (Decrypted or DecryptRejected, same ticket).
    /// </summary>
    public sealed record DecryptHeld(string From, ulong Ticket = 0);

    public sealed record ComputeSafetyNumber(MemberInfo Peer);

    public sealed record SafetyNumberComputed(string Peer, string Digits);

    /// <summary>Accept the peer's current key; held messages from it are then decrypted and answered.</summary>
    public sealed record Trust(MemberInfo Peer);

    public sealed record TrustAccepted(string Peer);
}

public enum PeerKeyStatus
{
    /// <summary>First time seen: pinned now.</summary>
    New,

    /// <summary>Same keys as pinned.</summary>
    Known,

    /// <summary>Different keys than pinned: blocked until the user trusts them.</summary>
    Changed,

    /// <summary>The keys do not even verify (bad binding or prekey signature): refused.</summary>
    Invalid,
}
