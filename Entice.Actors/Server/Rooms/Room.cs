using Akka.Actor;
using Entice.Wire;
using Entice.Server.Store;

namespace Entice.Server.Rooms;

/// <summary>
/// A chat room on the relay. Its children are the member actors of its members; it routes envelopes between
/// them without being able to read them. The messages here are the room's whole protocol.
/// </summary>
public static class Room
{
    /// <param name="store">The <see cref="ServerStore"/> actor, where the room remembers its members and keeps messages for those away; null: in memory only, nothing kept.</param>
    public static Props Props(string name, ServerSettings settings, IActorRef? store = null) =>
        Akka.Actor.Props.Create(() => new RoomActor(name, settings, store));

    /// <summary>A connection asks to enter the room as <paramref name="Member"/>.</summary>
    public sealed record Join(string Room, MemberInfo Member, IActorRef Transport);

    /// <summary>
    /// To the transport: you are in; leave, drain and go away through <paramref name="Member"/>, and send
    /// envelopes (<see cref="Route"/>, stamped with your name) to <paramref name="RoomRef"/> directly.
    /// </summary>
    public sealed record Joined(string Room, IActorRef Member, IReadOnlyList<MemberInfo> Members, IActorRef RoomRef);

    /// <summary>To the transport: the join was refused (e.g. the room is full).</summary>
    public sealed record JoinRefused(string Room, string Code, string Message);

    /// <summary>From a member actor after the room restarted: the member it stands for is still here.</summary>
    public sealed record Rejoin(MemberInfo Member, IActorRef Transport);

    /// <summary>
    /// From a member's connection (or its member actor): route this envelope, already stamped with the
    /// member's name. Taken only from the connection or member actor of that member as present now.
    /// </summary>
    public sealed record Route(Envelope Envelope);

    /// <summary>From a member actor: the member leaves.</summary>
    public sealed record Leave(string Name);

    /// <summary>From a member actor: the server is stopping; the member is away from now on. Answered with <see cref="Drained"/>.</summary>
    public sealed record Away(string Name, IActorRef ReplyTo);

    /// <summary>Answered with <see cref="Drained"/> once everything the room received before it was routed.</summary>
    public sealed record Drain(string Room, IActorRef ReplyTo);

    public sealed record Drained(string Room);

    /// <summary>To the directory: nobody has been connected here for the idle timeout; may I stop?</summary>
    public sealed record Idle(string Room);

    /// <summary>From the directory (which now holds new joins for this room): stop if still nobody is here.</summary>
    public sealed record StopIfIdle;

    /// <summary>To the directory, after <see cref="StopIfIdle"/>: someone joined meanwhile; the room stays.</summary>
    public sealed record Busy(string Room);
}
