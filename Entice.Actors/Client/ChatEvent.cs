namespace Entice.Client;

/// <summary>
/// What the console side is shown. Plaintext appears here and nowhere else on a client: these events
/// go to a view, never to a log.
/// </summary>
public abstract record ChatEvent;

public sealed record ReadyEvent(string Name, string Room, string Fingerprint) : ChatEvent;

/// <summary>This client entered a room after the first (the first is announced by <see cref="ReadyEvent"/>).</summary>
public sealed record RoomEnteredEvent(string Room) : ChatEvent;

/// <summary>This client left a room.</summary>
public sealed record RoomExitedEvent(string Room) : ChatEvent;

public sealed record MemberJoinedEvent(string Room, string Name) : ChatEvent;

public sealed record MemberLeftEvent(string Room, string Name) : ChatEvent;

/// <summary>A member the room remembers is not connected; messages to them are kept by the server.</summary>
public sealed record MemberAwayEvent(string Room, string Name) : ChatEvent;

public sealed record MessageEvent(string Room, string From, string Text, bool Direct, DateTimeOffset SentAt) : ChatEvent
{
    /// <summary>
    /// The (authenticated) id of the envelope that carried it (the last part of a long one), when it came from a
    /// peer: a copy of it shown before a crash is known by it after the restart (kept history: not shown twice).
    /// </summary>
    public ulong? EnvelopeId { get; init; }

    public override string ToString() => $"MessageEvent {{ Room = {Room}, From = {From}, Direct = {Direct} }}";
}

/// <summary>
/// Every envelope of one typed message was taken by the server (routed, one per recipient). <paramref name="Tag"/>
/// is the one given with the <see cref="ChatClient.UserLine"/>; <paramref name="To"/> is set for a direct message.
/// </summary>
public sealed record SentEvent(string Id, string Room, string? To, int Recipients, string? Tag) : ChatEvent;

/// <summary>
/// <paramref name="To"/>'s client decrypted the message <paramref name="Id"/> (an encrypted receipt came
/// back). Sent once per recipient.
/// </summary>
public sealed record DeliveredEvent(string Id, string To, string? Tag) : ChatEvent;

public sealed record MembersEvent(string Room, IReadOnlyList<string> Members) : ChatEvent;

public sealed record SafetyNumberEvent(string Peer, string SafetyNumber) : ChatEvent;

public sealed record KeyChangedEvent(string Peer) : ChatEvent;

public sealed record TrustedEvent(string Peer) : ChatEvent;

/// <summary>The peer's current key is verified: the user compared safety numbers (now or in an earlier run).</summary>
public sealed record VerifiedEvent(string Peer) : ChatEvent;

/// <param name="Tag">The <see cref="ChatClient.Command"/>'s tag when this error is that command's answer (it was
/// not carried out); null for errors nobody asked for.</param>
public sealed record ErrorEvent(string Code, string Message, string? Tag = null) : ChatEvent;

/// <summary>The connection to the server was lost; the client is reconnecting by itself.</summary>
public sealed record DisconnectedEvent(string Reason, TimeSpan RetryIn) : ChatEvent;

/// <summary>Connected again: rooms rejoined, what was typed meanwhile is on its way.</summary>
public sealed record ReconnectedEvent(string Server) : ChatEvent;

/// <summary>
/// Messages from <paramref name="From"/> went missing or arrived out of order (their sequence numbers,
/// inside the encryption, say so): <paramref name="Missing"/> never came (so far); or, when
/// <paramref name="Late"/>, one reported missing arrived after later ones and is shown now.
/// </summary>
public sealed record GapEvent(string From, ulong Missing, bool Late) : ChatEvent;

/// <summary>The client is done; the program exits with <paramref name="ExitCode"/>.</summary>
public sealed record StoppedEvent(int ExitCode, string Reason) : ChatEvent;
