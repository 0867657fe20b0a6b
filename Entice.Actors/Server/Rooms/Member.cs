using Akka.Actor;
using Entice.Wire;

namespace Entice.Server.Rooms;

/// <summary>
/// A member's presence in one room: a child of the room, standing in for the client there. The socket
/// belongs to a separate transport actor (Akka.IO cannot hand a connection to another actor, and an
/// actor cannot change its parent), which the member actor watches. Inbound traffic passes through the
/// member (which stamps who sent it); outbound frames go from the room to the transport directly.
/// </summary>
public static class Member
{
    public static Props Props(string room, MemberInfo member, IActorRef transport) =>
        Akka.Actor.Props.Create(() => new MemberActor(room, member, transport));

    /// <summary>From the transport: the client sent this envelope into the room.</summary>
    public sealed record Publish(Envelope Envelope);

    /// <summary>From the transport: the client leaves the room.</summary>
    public sealed record Leave;

    /// <summary>From a room that restarted and lost its member list: say who you stand for.</summary>
    public sealed record Reattach;

    /// <summary>
    /// From the transport of a server that is stopping: the member becomes away in the room (their
    /// envelopes are kept from now on), and <paramref name="ReplyTo"/> hears <see cref="Room.Drained"/>.
    /// </summary>
    public sealed record Away(IActorRef ReplyTo);

    /// <summary>From the transport: answer (to <paramref name="ReplyTo"/>) once the room routed all before it.</summary>
    public sealed record Drain(IActorRef ReplyTo);
}
