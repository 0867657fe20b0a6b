namespace Entice.Wire;

/// <summary>
/// Everything that crosses the TCP connection between a client node and a server node, one per frame.
/// The server reads these headers; it never reads <see cref="Envelope.Ciphertext"/>.
/// </summary>
public abstract record WireMessage;

/// <summary>Server, first frame on a new connection: the version it speaks and a fresh challenge to sign.</summary>
public sealed record ServerHello(ushort Version, byte[] Challenge) : WireMessage;

/// <summary>Client, answer to <see cref="ServerHello"/>: who it is and proof that it owns the identity key.</summary>
public sealed record Hello(ushort Version, string Name, IdentityBundle Identity, byte[] ChallengeSignature) : WireMessage;

/// <summary>Server: the hello was accepted and the name is now this connection's.</summary>
public sealed record Welcome(string Name) : WireMessage;

public sealed record JoinRoom(string Room) : WireMessage;

public sealed record LeaveRoom(string Room) : WireMessage;

/// <summary>Server: you are in the room; these are the members already present (yourself excluded).</summary>
public sealed record RoomJoined(string Room, IReadOnlyList<MemberInfo> Members) : WireMessage;

public sealed record RoomLeft(string Room) : WireMessage;

public sealed record MemberJoined(string Room, MemberInfo Member) : WireMessage;

public sealed record MemberLeft(string Room, string Name) : WireMessage;

/// <summary>
/// Server: a member the room remembers who is not connected now. Messages to them are kept by the
/// server and delivered when they come back, so clients encrypt to them as to anyone present.
/// </summary>
public sealed record MemberAway(string Room, MemberInfo Member) : WireMessage;

/// <summary>Server: an envelope kept while its recipient was away, numbered for <see cref="StoredAck"/>.</summary>
public sealed record StoredEnvelope(ulong Seq, Envelope Envelope) : WireMessage;

/// <summary>Client: the stored envelope <paramref name="Seq"/> was handled; the server may delete it.</summary>
public sealed record StoredAck(ulong Seq) : WireMessage;

/// <summary>
/// An opaque ciphertext with the routing header the relay needs. <see cref="Recipient"/> empty means the
/// whole room. From a client, <see cref="Sender"/> is ignored: the server stamps the authenticated name.
/// </summary>
public sealed record Envelope(string Room, string Sender, string Recipient, ulong Id, bool Direct, byte[] Ciphertext)
    : WireMessage;

/// <summary>
/// Server: the envelope with <paramref name="Id"/> was taken and routed; the client need not resend it
/// after a reconnect.
/// </summary>
public sealed record EnvelopeAck(ulong Id) : WireMessage;

/// <summary>Server: the envelope with <paramref name="Id"/> was not routed (e.g. its recipient is not in the room).</summary>
public sealed record EnvelopeRefused(ulong Id, string Code, string Message) : WireMessage
{
    /// <summary>Cut to what one wire string holds: messages quote names the client chose.</summary>
    public string Message { get; init; } = WireText.Fit(Message);
}

public sealed record Ping(ulong Nonce) : WireMessage;

public sealed record Pong(ulong Nonce) : WireMessage;

/// <summary>Client: no more input; answer with <see cref="GoodbyeAck"/> once everything before it was routed.</summary>
public sealed record Goodbye : WireMessage;

public sealed record GoodbyeAck : WireMessage;

/// <summary>A refusal with a stable machine-readable <see cref="Code"/> (see <see cref="ErrorCodes"/>).</summary>
public sealed record ErrorMessage(string Code, string Message) : WireMessage
{
    /// <summary>Cut to what one wire string holds: messages quote names the client chose.</summary>
    public string Message { get; init; } = WireText.Fit(Message);
}

/// <summary>Client: one-time prekeys for the server to hand out, one per session someone starts with us.</summary>
public sealed record PublishPrekeys(IReadOnlyList<OneTimePrekey> Prekeys) : WireMessage;

/// <summary>Client: hand me one of <paramref name="Name"/>'s one-time prekeys (I am about to start a session).</summary>
public sealed record FetchPrekey(string Name) : WireMessage;

/// <summary>Server: one of <paramref name="Name"/>'s one-time prekeys (now given out, never again), or none left.</summary>
public sealed record PrekeyFor(string Name, IReadOnlyList<OneTimePrekey> Prekeys) : WireMessage;

/// <summary>An X25519 one-time prekey: its id and public key (32 bytes).</summary>
public sealed record OneTimePrekey(uint Id, byte[] PublicKey);

/// <summary>A member as the server announces it: a name and the public keys that client published.</summary>
public sealed record MemberInfo(string Name, IdentityBundle Identity);

/// <summary>
/// Public key material a client publishes: Ed25519 signing key, X25519 identity key and their binding
/// signature, plus a signed X25519 prekey. Raw bytes here; the Crypto layer gives them meaning.
/// </summary>
public sealed record IdentityBundle(
    byte[] SigningKey,
    byte[] DhKey,
    byte[] BindingSignature,
    uint PrekeyId,
    byte[] Prekey,
    byte[] PrekeySignature);
