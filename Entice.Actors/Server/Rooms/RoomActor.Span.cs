using Akka.Actor;
using Akka.Cluster.Tools.PublishSubscribe;
using Entice.Server.Cluster;
using Entice.Wire;

namespace Entice.Server.Rooms;

/// <summary>
/// The room's side of its span over other nodes: the messages from peer rooms, settling before joins are
/// admitted, and what <see cref="RoomSpanLink"/> asks of the room (<see cref="IRoomSpanHost"/>).
/// </summary>
internal sealed partial class RoomActor
{
    private void ReceiveSpan()
    {
        Receive<SubscribeAck>(_ => { });
        Receive<RoomSpanLink.HelloTick>(_ => _span.SayHello());
        Receive<RoomSpan.Hello>(h =>
        {
            if (!h.RoomRef.Equals(Self)) // the topic delivers our own hello to us too
                _span.Discover(h.RoomRef);
        });
        Receive<RoomSpan.Find>(f => _span.Discover(f.RoomRef));
        Receive<RoomSpan.NotHere>(_ => Answered(Sender.Path.Address));
        Receive<RoomSpan.Presence>(p =>
        {
            _span.OnPresence(p, Sender);
            Answered(Sender.Path.Address);
        });
        Receive<RoomSpan.MemberPresent>(p => _span.OnMemberPresent(p, Sender));
        Receive<RoomSpan.MemberGone>(g => _span.OnMemberGone(g, Sender));
        Receive<RoomSpan.PresenceAck>(a => _span.OnPresenceAck(a, Sender));
        Receive<RoomSpan.Deliver>(d => _span.OnPeerDeliver(d, Sender));
        Receive<RoomSpan.Taken>(_span.OnTaken);
        Receive<RoomSpanLink.InFlightTick>(_ => _span.KeepOverdue());
        Receive<RoomSpan.Stored>(s => HandOverStored(s.Recipient));
    }

    private void StartSpan()
    {
        if (_span.Start(Timers) && _store is null)
            Become(Settling); // otherwise Loading moves there once loaded
    }

    private void Answered(Address node)
    {
        if (_span.Answered(node))
            Settle();
    }

    private void Settle()
    {
        _span.Settled(Timers);
        Become(Active);
        Stash.UnstashAll();
        WatchIdleness();
    }

    /// <summary>
    /// A member is no longer present here or on the node that just told us; unless they are present
    /// elsewhere, the members here hear they left or are away.
    /// </summary>
    public void NoLongerHere(MemberInfo member, bool leftForGood)
    {
        if (_members.IsHere(member.Name) || _span.IsPresent(member.Name))
            return;
        var away = !leftForGood && _store is not null;
        if (away)
        {
            _members.GoAway(member, DateTimeOffset.UtcNow);
            _store!.MarkAway(member.Name);
        }
        else
        {
            _members.NotAway(member.Name);
        }
        _members.Announce(away
            ? WireCodec.EncodeFrame(new MemberAway(_name, member))
            : WireCodec.EncodeFrame(new MemberLeft(_name, member.Name)), except: null);
        ForgetAwayBeyondLimits();
    }

    public void PresentElsewhere(MemberInfo member)
    {
        _members.NotAway(member.Name);
        if (!_members.IsHere(member.Name))
            _members.Announce(WireCodec.EncodeFrame(new MemberJoined(_name, member)), except: null);
    }
}
