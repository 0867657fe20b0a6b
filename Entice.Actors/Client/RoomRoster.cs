using Entice.Wire;

namespace Entice.Client;

/// <summary>
/// The rooms this client is in and who is in each, as the server announced them. Pure state, owned by
/// the chat actor. The keys in it are the server's word; the crypto actor checks them against pins.
/// </summary>
internal sealed class RoomRoster
{
    private readonly Dictionary<string, Dictionary<string, MemberInfo>> _rooms = new(StringComparer.Ordinal);
    private readonly HashSet<(string Room, string Name)> _away = [];

    public IEnumerable<string> Rooms => _rooms.Keys;

    public int Count => _rooms.Count;

    public bool IsIn(string room) => _rooms.ContainsKey(room);

    public void Enter(string room, IEnumerable<MemberInfo> members)
    {
        _rooms[room] = members.ToDictionary(m => m.Name, StringComparer.Ordinal);
        _away.RemoveWhere(a => a.Room == room);
    }

    public void Leave(string room)
    {
        _rooms.Remove(room);
        _away.RemoveWhere(a => a.Room == room);
    }

    public void Clear() => _rooms.Clear();

    /// <summary>A member who is here (again).</summary>
    public void Add(string room, MemberInfo member)
    {
        if (_rooms.TryGetValue(room, out var members))
        {
            members[member.Name] = member;
            _away.Remove((room, member.Name));
        }
    }

    /// <summary>
    /// A member the server remembers who is not connected: still written to (the server keeps the
    /// envelopes), shown as away.
    /// </summary>
    public void AddAway(string room, MemberInfo member)
    {
        if (_rooms.TryGetValue(room, out var members))
        {
            members[member.Name] = member;
            _away.Add((room, member.Name));
        }
    }

    public bool IsAway(string room, string name) => _away.Contains((room, name));

    public void Remove(string room, string name)
    {
        if (_rooms.TryGetValue(room, out var members))
            members.Remove(name);
        _away.Remove((room, name));
    }

    /// <summary>Who is connected in a room, away members excluded.</summary>
    public IEnumerable<MemberInfo> Present(string room) => Members(room).Where(m => !IsAway(room, m.Name));

    /// <summary>The other members of a room, present or away (empty if not in it).</summary>
    public IReadOnlyCollection<MemberInfo> Members(string room) =>
        _rooms.TryGetValue(room, out var members) ? members.Values : [];

    public bool TryGet(string room, string name, out MemberInfo member)
    {
        member = null!;
        return _rooms.TryGetValue(room, out var members) && members.TryGetValue(name, out member!);
    }

    /// <summary>Finds a peer to talk to directly: in <paramref name="preferredRoom"/> if there, else any shared room.</summary>
    public (string Room, MemberInfo Member)? FindPeer(string name, string? preferredRoom)
    {
        if (preferredRoom is not null && TryGet(preferredRoom, name, out var here))
            return (preferredRoom, here);
        foreach (var (room, members) in _rooms.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            if (members.TryGetValue(name, out var member))
                return (room, member);
        }
        return null;
    }
}
