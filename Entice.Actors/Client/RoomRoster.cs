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
    // Per room, the member list handed out last: the same array until the room's members change, so a
    // receiver can tell "unchanged" by reference instead of comparing every member per message.
    private readonly Dictionary<string, MemberInfo[]> _lists = new(StringComparer.Ordinal);

    public IEnumerable<string> Rooms => _rooms.Keys;

    public int Count => _rooms.Count;

    public bool IsIn(string room) => _rooms.ContainsKey(room);

    /// <summary>
    /// Enters a room with the members the server listed. The list is the relay's word and the relay is
    /// untrusted: a name listed twice keeps its first entry, and a name that is not a valid name or is
    /// <paramref name="self"/> is left out. Returns what was wrong with the list (empty when nothing).
    /// </summary>
    public List<string> Enter(string room, IEnumerable<MemberInfo> members, string? self = null)
    {
        var problems = new List<string>();
        var byName = new Dictionary<string, MemberInfo>(StringComparer.Ordinal);
        foreach (var m in members)
        {
            if (!Acceptable(m, self))
                problems.Add($"the server listed an invalid member in room {room}; ignored");
            else if (!byName.TryAdd(m.Name, m))
                problems.Add($"the server listed {m.Name} twice in room {room}; the second entry was ignored");
        }
        _rooms[room] = byName;
        _lists.Remove(room);
        _away.RemoveWhere(a => a.Room == room);
        return problems;
    }

    /// <summary>A member announcement this client can take: a valid name that is not its own.</summary>
    public static bool Acceptable(MemberInfo member, string? self) =>
        member is not null && Names.IsValidName(member.Name) && member.Name != self;

    public void Leave(string room)
    {
        _rooms.Remove(room);
        _lists.Remove(room);
        _away.RemoveWhere(a => a.Room == room);
    }

    public void Clear()
    {
        _rooms.Clear();
        _lists.Clear();
    }

    /// <summary>A member who is here (again).</summary>
    public void Add(string room, MemberInfo member)
    {
        if (_rooms.TryGetValue(room, out var members))
        {
            members[member.Name] = member;
            _lists.Remove(room);
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
            _lists.Remove(room);
            _away.Add((room, member.Name));
        }
    }

    public bool IsAway(string room, string name) => _away.Contains((room, name));

    /// <summary>Names of those away in a room.</summary>
    public HashSet<string> AwayIn(string room) =>
        Members(room).Where(m => IsAway(room, m.Name)).Select(m => m.Name).ToHashSet(StringComparer.Ordinal);

    public void Remove(string room, string name)
    {
        if (_rooms.TryGetValue(room, out var members) && members.Remove(name))
            _lists.Remove(room);
        _away.Remove((room, name));
    }

    /// <summary>Who is connected in a room, away members excluded.</summary>
    public IEnumerable<MemberInfo> Present(string room) => Members(room).Where(m => !IsAway(room, m.Name));

    /// <summary>The other members of a room, present or away (empty if not in it).</summary>
    public IReadOnlyCollection<MemberInfo> Members(string room) =>
        _rooms.TryGetValue(room, out var members) ? members.Values : [];

    /// <summary>
    /// <see cref="Members"/> as a list that stays the same object until the room's members change (the
    /// crypto actor then knows its roster view is current without comparing every member).
    /// </summary>
    public IReadOnlyList<MemberInfo> MemberList(string room)
    {
        if (_lists.TryGetValue(room, out var list))
            return list;
        if (!_rooms.TryGetValue(room, out var members))
            return [];
        return _lists[room] = [.. members.Values];
    }

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
