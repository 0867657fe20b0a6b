using System.Diagnostics.CodeAnalysis;
using Akka.Actor;
using Entice.Server.Rooms;
using Entice.Transport;

namespace Entice.Server.Connections;

/// <summary>
/// One client's rooms: the member actor that stands for it in each (watched, forgotten when it stops)
/// and the rooms still draining what the client sent before a goodbye or a shutdown.
/// </summary>
internal sealed class Memberships(IClientLink link)
{
    private readonly Dictionary<string, IActorRef> _members = new(StringComparer.Ordinal);
    private readonly HashSet<string> _draining = new(StringComparer.Ordinal);

    public int Count => _members.Count;

    /// <summary>True while some room has not yet confirmed a drain.</summary>
    public bool Draining => _draining.Count > 0;

    public bool Contains(string room) => _members.ContainsKey(room);

    public bool TryGet(string room, [MaybeNullWhen(false)] out IActorRef member) => _members.TryGetValue(room, out member);

    public void Add(string room, IActorRef member)
    {
        _members[room] = member;
        link.Watch(member);
    }

    /// <summary>Leaves <paramref name="room"/>; false when the client is not in it.</summary>
    public bool Leave(string room)
    {
        if (!_members.Remove(room, out var member))
            return false;
        link.Unwatch(member);
        member.Tell(new Member.Leave());
        return true;
    }

    /// <summary>Asks every room to drain (the message names the connection to answer); each answers <see cref="Room.Drained"/>.</summary>
    public void DrainAll(Func<IActorRef, object> request)
    {
        foreach (var (room, member) in _members)
        {
            _draining.Add(room);
            member.Tell(request(link.Self));
        }
    }

    public void Drained(string room) => _draining.Remove(room);

    /// <summary>A watched member actor stopped (its room removed it): forget it.</summary>
    public void Stopped(IActorRef actor)
    {
        foreach (var room in _members.Where(kv => kv.Value.Equals(actor)).Select(kv => kv.Key).ToList())
            _members.Remove(room);
    }
}
