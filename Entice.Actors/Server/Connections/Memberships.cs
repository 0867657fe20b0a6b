using System.Diagnostics.CodeAnalysis;
using Akka.Actor;
using Entice.Server.Rooms;
using Entice.Transport;

namespace Entice.Server.Connections;

/// <summary>
/// One client's rooms: the member actor that stands for it in each (watched, forgotten when it stops)
/// with the room actor its envelopes go to, and the rooms still draining what the client sent before a
/// goodbye or a shutdown. Both collections are made on first use: most connections never drain, and an
/// idle connection's memory is what a large server is made of.
/// </summary>
internal sealed class Memberships(IClientLink link)
{
    private Dictionary<string, (IActorRef Member, IActorRef Room)>? _members;
    private HashSet<string>? _draining;

    public int Count => _members?.Count ?? 0;

    /// <summary>True while some room has not yet confirmed a drain.</summary>
    public bool Draining => _draining is { Count: > 0 };

    public bool Contains(string room) => _members?.ContainsKey(room) ?? false;

    /// <summary>The room actor to route envelopes for <paramref name="room"/> to, once joined.</summary>
    public bool TryGetRoom(string room, [MaybeNullWhen(false)] out IActorRef actor)
    {
        actor = null;
        if (_members is null || !_members.TryGetValue(room, out var m))
            return false;
        actor = m.Room;
        return true;
    }

    public void Add(string room, IActorRef member, IActorRef roomActor)
    {
        (_members ??= new(StringComparer.Ordinal))[room] = (member, roomActor);
        link.Watch(member);
    }

    /// <summary>Leaves <paramref name="room"/>; false when the client is not in it.</summary>
    public bool Leave(string room)
    {
        if (_members is null || !_members.Remove(room, out var m))
            return false;
        link.Unwatch(m.Member);
        m.Member.Tell(new Member.Leave());
        return true;
    }

    /// <summary>Asks every room to drain (the message names the connection to answer); each answers <see cref="Room.Drained"/>.</summary>
    public void DrainAll(Func<IActorRef, object> request)
    {
        if (_members is null)
            return;
        foreach (var (room, m) in _members)
        {
            (_draining ??= new(StringComparer.Ordinal)).Add(room);
            m.Member.Tell(request(link.Self));
        }
    }

    public void Drained(string room) => _draining?.Remove(room);

    /// <summary>A watched member actor stopped (its room removed it): forget it.</summary>
    public void Stopped(IActorRef actor)
    {
        if (_members is null)
            return;
        foreach (var room in _members.Where(kv => kv.Value.Member.Equals(actor)).Select(kv => kv.Key).ToList())
            _members.Remove(room);
    }
}
