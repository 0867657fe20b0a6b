using Akka.Actor;
using Akka.Event;
using Entice.Server.Cluster;
using Entice.Transport;
using Entice.Wire;

namespace Entice.Server.Rooms;

/// <summary>Who comes and goes: joins, members leaving or going away, and the bound on away members.</summary>
internal sealed partial class RoomActor
{
    private void OnJoin(Room.Join join)
    {
        ForgetAwayBeyondLimits();
        var name = join.Member.Name;
        // Everyone here and on other nodes travels in the joiner's one RoomJoined (at most
        // WireLimits.MaxMembers, which caps max-room-members): the cap counts them all.
        if (!_members.IsHere(name) && Others(name).Count >= _settings.MaxRoomMembers)
        {
            join.Transport.Tell(new Room.JoinRefused(_name, ErrorCodes.RoomFull, $"room {_name} is full ({Others(name).Count} members)"));
            return;
        }
        if (_members.TryGet(name, out var existing))
        {
            if (existing.Transport.Equals(join.Transport))
            {
                join.Transport.Tell(new Room.Joined(_name, existing.Actor, Others(name), Self));
                return;
            }
            // Names are unique, so this is a stale member whose connection is going away.
            RemoveMember(name, leftForGood: false);
        }

        var member = Context.ActorOf(Member.Props(_name, join.Member, join.Transport), $"member-{Guid.NewGuid():N}");
        Context.Watch(member);
        var others = Others(name);
        _members.Arrive(new RoomMembers.Present(join.Member, member, join.Transport, _span.NextVersion()));
        _store?.ForgetHanded(name);
        _store?.Remember(join.Member);
        _span.TellPeers(new RoomSpan.MemberPresent(_name, _span.Version, join.Member));
        join.Transport.Tell(new Room.Joined(_name, member, others, Self));
        WatchIdleness();
        // Then who is away (their keys, so the newcomer can write to them), then what waited for it.
        foreach (var away in _members.Away)
            join.Transport.Tell(new ClientTransport.Send(WireCodec.EncodeFrame(new MemberAway(_name, away))));
        HandOverStored(name);

        _members.Announce(WireCodec.EncodeFrame(new MemberJoined(_name, join.Member)), except: name);
        _log.Info("{Name} joined room {Room} ({Count} members)", name, _name, _members.Count);
    }

    // Leaving for good (LeaveRoom) forgets the member; a dropped connection leaves them away, remembered.
    private void RemoveMember(string name, bool leftForGood)
    {
        if (!_members.Remove(name, out var member))
            return;
        Context.Unwatch(member.Actor);
        Context.Stop(member.Actor);
        _store?.ForgetHanded(name);
        _span.TellPeers(new RoomSpan.MemberGone(_name, _span.NextVersion(), name, leftForGood));
        if (leftForGood)
        {
            _store?.Forget(name);
            member.Transport.Tell(new ClientTransport.Send(WireCodec.EncodeFrame(new RoomLeft(_name))));
        }
        _log.Info("{Name} {Went} room {Room} ({Count} members)", name, leftForGood ? "left" : "is away from", _name, _members.Count);
        NoLongerHere(member.Info, leftForGood);
        WatchIdleness();
    }

    // Away members are bounded: each is sent to every newcomer and written to by every sender. Those away
    // longer than away.time-to-live, and the longest away beyond away.max-per-room, are forgotten: the
    // members here see them leave, and nothing more is kept for them.
    private void ForgetAwayBeyondLimits()
    {
        if (_store is null || _members.AwayCount == 0)
            return;
        var expired = _members.ForgetAway(DateTimeOffset.UtcNow - _settings.AwayTimeToLive, _settings.MaxAwayMembers);
        foreach (var name in expired)
        {
            _store.Forget(name);
            _members.Announce(WireCodec.EncodeFrame(new MemberLeft(_name, name)), except: null);
        }
        if (expired.Count > 0)
            _log.Info("Room {Room} forgot {Count} away members (away too long or beyond {Max})", _name, expired.Count, _settings.MaxAwayMembers);
    }

    private List<MemberInfo> Others(string name) => _members.Others(name, _span.Members());
}
