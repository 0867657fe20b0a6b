using Entice.Client.Keys;
using Entice.Client.Messages;
using Entice.Wire;

namespace Entice.Client.Rooms;

/// <summary>
/// Rooms and who is in them, kept in step with the server. The server answers a join with
/// <see cref="RoomJoined"/> (members present), then one <see cref="MemberAway"/> per member it remembers
/// who is not connected, then what it kept for us. It has no "roster complete" message, but it answers a
/// client's <see cref="Ping"/> on the same connection after what the room had already queued for it: so
/// after each RoomJoined this sends a Ping with a nonce of its own, and its <see cref="Pong"/> marks the
/// roster complete (<see cref="OnPong"/>). A rejoin after a reconnect is compared with what we knew once
/// complete: who came, who is away now, and <c>left</c> only for who is no longer in the room at all.
/// </summary>
internal sealed class RoomSync(ClientSettings settings, RoomRoster roster, IChatOutput output, Screen screen, Outgoing outgoing)
{
    /// <summary>What a <see cref="RoomJoined"/> was.</summary>
    public enum Joined { Ignored, Entered, Rejoined }

    /// <summary>What a <see cref="Pong"/> completed.</summary>
    public enum Completed { Nothing, Room, LastRejoin }

    private readonly HashSet<string> _rejoining = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (HashSet<string> Present, HashSet<string> Away)> _rejoinBefore = new(StringComparer.Ordinal);
    private readonly Dictionary<ulong, string> _barriers = [];
    // Newcomers not shown as joined yet: their screen place, filled once the crypto actor has pinned their keys.
    private readonly Dictionary<string, List<(string Room, ulong Ticket)>> _joinsAwaitingKeys = new(StringComparer.Ordinal);
    // Newcomers whose keys were a change of a pinned key: shown as joined once the user trusts the new key.
    private readonly Dictionary<string, HashSet<string>> _joinsAwaitingTrust = new(StringComparer.Ordinal);
    private ulong _nextBarrier = (ulong)Random.Shared.NextInt64(1, long.MaxValue / 2);

    /// <summary>Where plain lines go: the room joined (or chosen) last.</summary>
    public string CurrentRoom { get; set; } = settings.Room;

    public RoomRoster Roster => roster;

    /// <summary>After a reconnect: joins every room again. False when there is none to join.</summary>
    public bool RejoinAll()
    {
        foreach (var room in roster.Rooms)
        {
            _rejoining.Add(room);
            var present = roster.Present(room).Select(m => m.Name).ToHashSet(StringComparer.Ordinal);
            _rejoinBefore[room] = (present, roster.AwayIn(room));
            output.ToServer(new JoinRoom(room));
        }
        return _rejoining.Count > 0;
    }

    /// <summary>The connection dropped: joins and barriers on it will never be answered.</summary>
    public void ConnectionLost()
    {
        _rejoining.Clear();
        _rejoinBefore.Clear();
        _barriers.Clear();
    }

    /// <param name="entered">What to show when this is a room newly entered (the first: ready; later: entered).</param>
    public Joined OnRoomJoined(RoomJoined joined, Func<string, ChatEvent> entered)
    {
        if (!Names.IsValidRoom(joined.Room))
        {
            screen.Show(new ErrorEvent(ErrorCodes.BadRoster, "the server announced a room this client did not ask for; ignored"));
            return Joined.Ignored;
        }
        var problems = roster.Enter(joined.Room, joined.Members, settings.Name);
        // Sender keys are saved (senderkeys.bin): a member who restarted meanwhile still holds ours, and one who
        // joined or left changed the member set, which rotates the key by itself (RotationPolicy).
        foreach (var problem in problems.Take(3))
            screen.Show(new ErrorEvent(ErrorCodes.BadRoster, problem));
        var members = roster.Members(joined.Room).ToList();
        foreach (var m in members)
            output.ToCrypto(new CryptoAgent.ObservePeer(m));
        AskRosterComplete(joined.Room);

        if (_rejoinBefore.ContainsKey(joined.Room))
            return Joined.Rejoined; // events once the roster is complete: only what changed meanwhile

        CurrentRoom = joined.Room;
        screen.Show(entered(joined.Room));
        foreach (var m in members)
            screen.Show(new MemberJoinedEvent(joined.Room, m.Name));
        return Joined.Entered;
    }

    public Completed OnPong(Pong pong)
    {
        if (!_barriers.Remove(pong.Nonce, out var room))
            return Completed.Nothing;
        if (_rejoinBefore.Remove(room, out var before))
        {
            ReportChangesSince(room, before.Present, before.Away);
            if (_rejoining.Remove(room) && _rejoining.Count == 0)
                return Completed.LastRejoin;
        }
        return Completed.Room;
    }

    public void OnMemberJoined(MemberJoined joined)
    {
        if (!roster.IsIn(joined.Room) || !RoomRoster.Acceptable(joined.Member, settings.Name))
            return;
        roster.Add(joined.Room, joined.Member);
        output.ToCrypto(new CryptoAgent.ObservePeer(joined.Member));
        if (_rejoinBefore.ContainsKey(joined.Room))
            return;
        // Shown as joined only once its identity is known and pinned (the ObservePeer above, answered after
        // the pin is saved): its place on screen is kept, so what it says next still comes after "joined".
        var name = joined.Member.Name;
        if (!_joinsAwaitingKeys.TryGetValue(name, out var waiting))
            _joinsAwaitingKeys[name] = waiting = [];
        waiting.Add((joined.Room, screen.Reserve()));
        outgoing.MemberBack(name);
    }

    /// <summary>The crypto actor checked a member's keys: newcomers with pinned keys are shown as joined now.</summary>
    public void OnPeerObserved(CryptoAgent.PeerObserved observed)
    {
        if (!_joinsAwaitingKeys.Remove(observed.Name, out var waiting))
            return;
        var pinned = observed.Status is PeerKeyStatus.New or PeerKeyStatus.Known;
        foreach (var (room, ticket) in waiting)
        {
            var present = roster.TryGet(room, observed.Name, out _);
            screen.Answer(ticket, pinned && present ? [new MemberJoinedEvent(room, observed.Name)] : []);
            if (!pinned && present && observed.Status == PeerKeyStatus.Changed)
            {
                if (!_joinsAwaitingTrust.TryGetValue(observed.Name, out var rooms))
                    _joinsAwaitingTrust[observed.Name] = rooms = new(StringComparer.Ordinal);
                rooms.Add(room);
            }
        }
    }

    /// <summary>The user trusted <paramref name="name"/>'s new keys (now pinned): the joins they held back are shown.</summary>
    public void OnTrusted(string name)
    {
        if (!_joinsAwaitingTrust.Remove(name, out var rooms))
            return;
        foreach (var room in rooms.Where(r => roster.TryGet(r, name, out _)).Order(StringComparer.Ordinal))
            screen.Show(new MemberJoinedEvent(room, name));
    }

    public void OnMemberAway(MemberAway away)
    {
        if (!roster.IsIn(away.Room) || !RoomRoster.Acceptable(away.Member, settings.Name))
            return;
        var alreadyAway = roster.IsAway(away.Room, away.Member.Name);
        roster.AddAway(away.Room, away.Member);
        output.ToCrypto(new CryptoAgent.ObservePeer(away.Member));
        if (!alreadyAway && !_rejoinBefore.ContainsKey(away.Room))
            screen.Show(new MemberAwayEvent(away.Room, away.Member.Name));
    }

    public void OnMemberLeft(MemberLeft left)
    {
        if (!roster.TryGet(left.Room, left.Name, out _))
            return;
        roster.Remove(left.Room, left.Name);
        screen.Show(new MemberLeftEvent(left.Room, left.Name));
    }

    public void OnRoomLeft(RoomLeft left)
    {
        if (!roster.IsIn(left.Room))
            return;
        roster.Leave(left.Room);
        screen.Show(new RoomExitedEvent(left.Room));
    }

    private void AskRosterComplete(string room)
    {
        var nonce = _nextBarrier++;
        _barriers[nonce] = room;
        output.ToServer(new Ping(nonce));
    }

    // After a reconnect: who is here now and was not, who is away now and was not, and who is gone
    // from the room altogether (only they "left").
    private void ReportChangesSince(string room, HashSet<string> present, HashSet<string> away)
    {
        var awayNow = roster.AwayIn(room);
        foreach (var m in roster.Members(room))
        {
            if (!awayNow.Contains(m.Name) && !present.Contains(m.Name))
                screen.Show(new MemberJoinedEvent(room, m.Name));
            else if (awayNow.Contains(m.Name) && !away.Contains(m.Name))
                screen.Show(new MemberAwayEvent(room, m.Name));
        }
        foreach (var gone in present.Concat(away).Where(n => !roster.TryGet(room, n, out _)).Order(StringComparer.Ordinal))
            screen.Show(new MemberLeftEvent(room, gone));
    }
}
