using Akka.Actor;
using Entice.Wire;
using Entice.Client.Keys;
using Entice.Transport;

namespace Entice.Client;

/// <summary>
/// Rooms and who is in them. The server answers a join with <see cref="RoomJoined"/> (members present),
/// then one <see cref="MemberAway"/> per member it remembers who is not connected, then what it kept
/// for us. It has no "roster complete" message, but it answers a client's <see cref="Ping"/> on the
/// same connection after what the room had already queued for it: so after each RoomJoined the client
/// sends a Ping with a nonce of its own, and its <see cref="Pong"/> marks the roster complete. Only
/// then do lines typed (or piped) before the first join go (to everyone, present and away), and only
/// then is a rejoin after a reconnect compared with what we knew: who came, who is away now, and
/// <c>left</c> only for who is no longer in the room at all.
/// </summary>
internal sealed partial class ChatClientActor
{
    private readonly RoomRoster _roster = new();
    private readonly Queue<(UserCommand Command, string? Room, string? Tag)> _waitingForRoom = new();
    private readonly HashSet<string> _rejoining = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (HashSet<string> Present, HashSet<string> Away)> _rejoinBefore = new(StringComparer.Ordinal);
    private readonly Dictionary<ulong, string> _barriers = [];
    private ulong _nextBarrier = (ulong)Random.Shared.NextInt64(1, long.MaxValue / 2);
    private bool _rosterReady;

    private void OnWelcome()
    {
        _crypto.Tell(new CryptoAgent.GetPrekeysToPublish());
        if (!_everJoined)
        {
            _connection.Tell(new ServerConnection.Send(new JoinRoom(_settings.Room)));
            return;
        }
        Show(new ReconnectedEvent(_server));
        foreach (var room in _roster.Rooms)
        {
            _rejoining.Add(room);
            var present = _roster.Present(room).Select(m => m.Name).ToHashSet(StringComparer.Ordinal);
            _rejoinBefore[room] = (present, _roster.AwayIn(room));
            _connection.Tell(new ServerConnection.Send(new JoinRoom(room)));
        }
        if (_rejoining.Count == 0)
            BackOnline();
    }

    private void OnRoomJoined(RoomJoined joined)
    {
        if (!Names.IsValidRoom(joined.Room) || _identity is null)
        {
            Show(new ErrorEvent(ErrorCodes.BadRoster, "the server announced a room this client did not ask for; ignored"));
            return;
        }
        var problems = _roster.Enter(joined.Room, joined.Members, _settings.Name);
        foreach (var problem in problems.Take(3))
            Show(new ErrorEvent(ErrorCodes.BadRoster, problem));
        var members = _roster.Members(joined.Room).ToList();
        foreach (var m in members)
            _crypto.Tell(new CryptoAgent.ObservePeer(m));
        AskRosterComplete(joined.Room);

        if (_rejoinBefore.ContainsKey(joined.Room))
            return; // events once the roster is complete: only what changed meanwhile

        _currentRoom = joined.Room;
        if (_everJoined)
        {
            Show(new RoomEnteredEvent(joined.Room));
        }
        else
        {
            _everJoined = true;
            _online = true;
            Show(new ReadyEvent(_settings.Name, joined.Room, _identity.Fingerprint));
        }
        foreach (var m in members)
            Show(new MemberJoinedEvent(joined.Room, m.Name));
    }

    private void AskRosterComplete(string room)
    {
        var nonce = _nextBarrier++;
        _barriers[nonce] = room;
        _connection.Tell(new ServerConnection.Send(new Ping(nonce)));
    }

    private void OnPong(Pong pong)
    {
        if (!_barriers.Remove(pong.Nonce, out var room))
            return;
        if (_rejoinBefore.Remove(room, out var before))
        {
            ReportChangesSince(room, before.Present, before.Away);
            if (_rejoining.Remove(room) && _rejoining.Count == 0)
                BackOnline();
        }
        if (_rosterReady)
            return;
        // The first room's roster is complete: what was typed or piped meanwhile goes now, to everyone.
        _rosterReady = true;
        while (_waitingForRoom.Count > 0)
        {
            var (command, waitingRoom, tag) = _waitingForRoom.Dequeue();
            Execute(command, waitingRoom, tag);
        }
        MaybeSayGoodbye();
    }

    // After a reconnect: who is here now and was not, who is away now and was not, and who is gone
    // from the room altogether (only they "left").
    private void ReportChangesSince(string room, HashSet<string> present, HashSet<string> away)
    {
        var awayNow = _roster.AwayIn(room);
        foreach (var m in _roster.Members(room))
        {
            if (!awayNow.Contains(m.Name) && !present.Contains(m.Name))
                Show(new MemberJoinedEvent(room, m.Name));
            else if (awayNow.Contains(m.Name) && !away.Contains(m.Name))
                Show(new MemberAwayEvent(room, m.Name));
        }
        foreach (var gone in present.Concat(away).Where(n => !_roster.TryGet(room, n, out _)).Order(StringComparer.Ordinal))
            Show(new MemberLeftEvent(room, gone));
    }

    private void OnMemberJoined(MemberJoined joined)
    {
        if (!_roster.IsIn(joined.Room) || !RoomRoster.Acceptable(joined.Member, _settings.Name))
            return;
        _roster.Add(joined.Room, joined.Member);
        _crypto.Tell(new CryptoAgent.ObservePeer(joined.Member));
        if (_rejoinBefore.ContainsKey(joined.Room))
            return;
        Show(new MemberJoinedEvent(joined.Room, joined.Member.Name));
        Resend(_outbox.TakeFor(joined.Member.Name)); // what waited for them while they were away
    }

    private void OnMemberAway(MemberAway away)
    {
        if (!_roster.IsIn(away.Room) || !RoomRoster.Acceptable(away.Member, _settings.Name))
            return;
        var alreadyAway = _roster.IsAway(away.Room, away.Member.Name);
        _roster.AddAway(away.Room, away.Member);
        _crypto.Tell(new CryptoAgent.ObservePeer(away.Member));
        if (!alreadyAway && !_rejoinBefore.ContainsKey(away.Room))
            Show(new MemberAwayEvent(away.Room, away.Member.Name));
    }

    // Every room is joined again and its roster known: what the server never acknowledged goes again,
    // oldest first.
    private void BackOnline()
    {
        _online = true;
        _backoff.Reset();
        Resend(_outbox.TakeAllForResend());
        MaybeSayGoodbye();
    }
}
