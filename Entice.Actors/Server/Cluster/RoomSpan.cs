using Akka.Actor;
using Entice.Wire;

namespace Entice.Server.Cluster;

/// <summary>
/// How the room actors of one room on different nodes act as one room. Each node's room supervises
/// the members connected to that node and tells its peers who is present there; a sender's room
/// routes each envelope to exactly one place per recipient: a local member, the peer room on the
/// recipient's node, or the shared store.
///
/// Discovery: a new room asks every node's directory (<see cref="Find"/>) and admits members once all
/// have answered; DistributedPubSub (a topic per room, <see cref="Hello"/> repeated at an interval)
/// repairs what that misses, e.g. after a partition heals. Everything after discovery goes straight
/// from room to room, in order.
///
/// The gossip window: until a peer has acknowledged our presence snapshot it may believe our members
/// are away and store envelopes for them. So each <see cref="PresenceAck"/> makes the room fetch what
/// was stored for the members that ack covers; nothing stored in that window is left behind.
/// </summary>
public static class RoomSpan
{
    public static string Topic(string room) => "entice-room:" + room;

    /// <summary>
    /// From a room that has just started, to the room directory of every other node: if the room exists
    /// there, the directory forwards this to it and it answers with its <see cref="Presence"/>; if not,
    /// the directory answers <see cref="NotHere"/> and hands the asker to the room should it start later.
    /// Until every node has answered (or a timeout) the new room holds its joins, so no member can send
    /// before the room knows where the others are.
    /// </summary>
    public sealed record Find(string Room, IActorRef RoomRef) : IClusterMessage;

    /// <summary>The directory of the sender's node has no such room (yet).</summary>
    public sealed record NotHere(string Room) : IClusterMessage;

    /// <summary>Published on the room's topic: the room exists on the node of <paramref name="RoomRef"/>.</summary>
    public sealed record Hello(string Room, IActorRef RoomRef) : IClusterMessage;

    /// <summary>
    /// Room to peer room: a snapshot of the members present on the sender's node, as of
    /// <paramref name="Version"/>, sent when it first meets the receiver (<paramref name="Reply"/> false)
    /// and by a receiver that already knew the sender, which must then have restarted and forgotten it
    /// (<paramref name="Reply"/> true). Changes follow as <see cref="MemberPresent"/> and <see cref="MemberGone"/>.
    /// </summary>
    public sealed record Presence(string Room, long Version, IReadOnlyList<MemberInfo> Members, bool Reply) : IClusterMessage;

    /// <summary>A member joined the room on the sender's node.</summary>
    public sealed record MemberPresent(string Room, long Version, MemberInfo Member) : IClusterMessage;

    /// <summary>
    /// A member is no longer present on the sender's node: away (remembered, messages kept) or, when
    /// <paramref name="LeftForGood"/>, forgotten.
    /// </summary>
    public sealed record MemberGone(string Room, long Version, string Name, bool LeftForGood) : IClusterMessage;

    /// <summary>The sender has applied the presence of the receiver's node up to <paramref name="Version"/>.</summary>
    public sealed record PresenceAck(string Room, long Version) : IClusterMessage;

    /// <summary>
    /// Deliver this envelope to members present on the receiving node: its recipient, or for a room-wide
    /// envelope (empty recipient) everyone there but the sender. A recipient who has just gone gets it
    /// stored instead. A direct envelope is answered with <see cref="Taken"/> and <paramref name="Ticket"/>:
    /// only then does the sender hear the relay took it, so a node that crashes with it in flight
    /// loses nothing (the sender's node stores it when no answer comes).
    /// </summary>
    public sealed record Deliver(Envelope Envelope, long Ticket) : IClusterMessage;

    /// <summary>The envelope of <paramref name="Ticket"/> was handed to its recipient's connection or stored.</summary>
    public sealed record Taken(string Room, long Ticket) : IClusterMessage;

    /// <summary>Something was stored for <paramref name="Recipient"/>: if they are present on your node, fetch it.</summary>
    public sealed record Stored(string Room, string Recipient) : IClusterMessage;
}
