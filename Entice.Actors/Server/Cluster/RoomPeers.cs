using Akka.Actor;
using Entice.Wire;

namespace Entice.Server.Cluster;

/// <summary>
/// What one room actor knows of the same room on other server nodes: each peer room's present members
/// and how far that peer has acknowledged our own presence. Plain state, no messaging: the room actor
/// decides what to send.
/// </summary>
internal sealed class RoomPeers
{
    private sealed class Peer
    {
        public Dictionary<string, MemberInfo> Present { get; } = new(StringComparer.Ordinal);
        public long Acked { get; set; }
    }

    private readonly Dictionary<IActorRef, Peer> _peers = [];

    public IEnumerable<IActorRef> All => _peers.Keys;

    /// <summary>Starts tracking <paramref name="room"/>; false when it was known already.</summary>
    public bool Add(IActorRef room) => _peers.TryAdd(room, new Peer());

    /// <summary>The peer room where <paramref name="name"/> is present, or null.</summary>
    public IActorRef? Where(string name)
    {
        foreach (var (room, peer) in _peers)
        {
            if (peer.Present.ContainsKey(name))
                return room;
        }
        return null;
    }

    public bool IsPresent(string name) => Where(name) is not null;

    /// <summary>Everyone present on other nodes, each name once.</summary>
    public IEnumerable<MemberInfo> Members() =>
        _peers.Values.SelectMany(p => p.Present.Values).DistinctBy(m => m.Name, StringComparer.Ordinal);

    public int Count(string except) => Members().Count(m => m.Name != except);

    public void SetPresent(IActorRef room, MemberInfo member) => _peers[room].Present[member.Name] = member;

    /// <summary>The member info the peer had for <paramref name="name"/>, now removed; null if it had none.</summary>
    public MemberInfo? Remove(IActorRef room, string name) =>
        _peers[room].Present.Remove(name, out var member) ? member : null;

    /// <summary>Replaces a peer's members with a snapshot; returns those no longer present there.</summary>
    public List<MemberInfo> Replace(IActorRef room, IReadOnlyList<MemberInfo> members)
    {
        var present = _peers[room].Present;
        var now = members.Select(m => m.Name).ToHashSet(StringComparer.Ordinal);
        var gone = present.Values.Where(m => !now.Contains(m.Name)).ToList();
        present.Clear();
        foreach (var m in members)
            present[m.Name] = m;
        return gone;
    }

    /// <summary>Forgets a peer room (its node left); returns the members that were present there.</summary>
    public List<MemberInfo> Drop(IActorRef room) =>
        _peers.Remove(room, out var peer) ? peer.Present.Values.ToList() : [];

    /// <summary>The peer restarted and knows nothing of us: its next acknowledgement is a first one.</summary>
    public void Forgot(IActorRef room) => _peers[room].Acked = 0;

    /// <summary>Records an acknowledgement; returns the version acknowledged before it.</summary>
    public long Acknowledge(IActorRef room, long version)
    {
        var peer = _peers[room];
        var before = peer.Acked;
        peer.Acked = Math.Max(before, version);
        return before;
    }
}
