using Akka.Actor;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.Event;
using Entice.Server.Cluster;
using Entice.Wire;

namespace Entice.Server.Rooms;

/// <summary>
/// The room's side of <see cref="RoomSpan"/>: finding the same room on other nodes and keeping their
/// presence (what crosses between them is in RoomActor.PeerDelivery.cs). On a lone node none of this
/// runs: there are no peers.
/// </summary>
internal sealed partial class RoomActor
{
    private sealed record HelloTick;

    private sealed record SettleDeadline;

    private readonly RoomPeers _peers = new();
    private long _version;

    // The nodes that have not yet said whether they have this room (see RoomSpan.Find); while any is
    // left the room is Settling.
    private readonly HashSet<Address> _unanswered = [];

    private long NextVersion() => ++_version;

    private void StartSpan()
    {
        if (!_settings.Cluster.Enabled)
            return;
        var mediator = DistributedPubSub.Get(Context.System).Mediator;
        mediator.Tell(new Subscribe(RoomSpan.Topic(_name), Self));
        Timers.StartPeriodicTimer("hello", new HelloTick(), _settings.Cluster.RoomHelloInterval);
        Timers.StartPeriodicTimer("in-flight", new InFlightTick(), _settings.Cluster.PeerDeliveryTimeout / 4);

        var cluster = Akka.Cluster.Cluster.Get(Context.System);
        foreach (var node in cluster.State.Members.Where(m => m.Status == Akka.Cluster.MemberStatus.Up && m.Address != cluster.SelfAddress))
        {
            _unanswered.Add(node.Address);
            Context.ActorSelection(new RootActorPath(node.Address) / "user" / RelayServer.ActorName / "rooms")
                .Tell(new RoomSpan.Find(_name, Self));
        }
        if (_unanswered.Count == 0)
            return;
        if (_store is null)
            Become(Settling); // otherwise Loading moves there once loaded
        // A node that cannot answer (unreachable, stopping) must not keep members out for long.
        Timers.StartSingleTimer("settle", new SettleDeadline(), _settings.Cluster.PeerDeliveryTimeout);
    }

    private void Answered(Address node)
    {
        if (!_unanswered.Remove(node) || _unanswered.Count > 0)
            return;
        Settle();
    }

    private void Settle()
    {
        _unanswered.Clear();
        Timers.Cancel("settle");
        Become(Active);
        Stash.UnstashAll();
        WatchIdleness();
    }

    private void ReceiveSpan()
    {
        Receive<SubscribeAck>(_ => { });
        Receive<HelloTick>(_ => DistributedPubSub.Get(Context.System).Mediator.Tell(new Publish(RoomSpan.Topic(_name), new RoomSpan.Hello(_name, Self))));
        Receive<RoomSpan.Hello>(h =>
        {
            if (!h.RoomRef.Equals(Self)) // the topic delivers our own hello to us too
                Discover(h.RoomRef);
        });
        Receive<RoomSpan.Find>(f => Discover(f.RoomRef));
        Receive<RoomSpan.NotHere>(_ => Answered(Sender.Path.Address));
        Receive<RoomSpan.Presence>(p =>
        {
            if (!Discover(Sender) && !p.Reply)
            {
                // A peer we knew meets us anew: its room restarted and forgot us. It learns who is
                // here, and may have stored for them meanwhile: its next ack counts as a first one.
                _peers.Forgot(Sender);
                Sender.Tell(Snapshot(reply: true));
            }
            foreach (var gone in _peers.Replace(Sender, p.Members))
                MemberNoLongerHere(gone, leftForGood: false);
            foreach (var m in p.Members)
                OnPeerMemberPresent(m);
            Sender.Tell(new RoomSpan.PresenceAck(_name, p.Version));
            Answered(Sender.Path.Address);
        });
        Receive<RoomSpan.MemberPresent>(p =>
        {
            Discover(Sender);
            _peers.SetPresent(Sender, p.Member);
            OnPeerMemberPresent(p.Member);
            Sender.Tell(new RoomSpan.PresenceAck(_name, p.Version));
        });
        Receive<RoomSpan.MemberGone>(g =>
        {
            Discover(Sender);
            if (_peers.Remove(Sender, g.Name) is { } member)
                MemberNoLongerHere(member, g.LeftForGood);
            Sender.Tell(new RoomSpan.PresenceAck(_name, g.Version));
        });
        Receive<RoomSpan.PresenceAck>(a =>
        {
            Discover(Sender);
            // Until this ack the peer may have stored envelopes for members who joined here since its
            // last one (or for everyone, on a first ack): fetch them now.
            var before = _peers.Acknowledge(Sender, a.Version);
            foreach (var m in _members.Values.Where(m => m.JoinedAt > before && m.JoinedAt <= a.Version).ToList())
                HandOverStored(m.Info.Name);
        });
        Receive<RoomSpan.Deliver>(OnPeerDeliver);
        Receive<RoomSpan.Taken>(t =>
        {
            if (_inFlight.Remove(t.Ticket, out var taken))
                Acknowledge(taken.SenderTransport, taken.Envelope);
        });
        Receive<InFlightTick>(_ =>
        {
            var now = DateTime.UtcNow;
            foreach (var (ticket, f) in _inFlight.Where(kv => kv.Value.Deadline <= now).ToList())
                KeepUnanswered(ticket, f, "no answer from its node");
        });
        Receive<RoomSpan.Stored>(s => HandOverStored(s.Recipient));
    }

    // First contact with a peer room: watch it (its node may leave) and send it who is here. False
    // when the peer was known already.
    private bool Discover(IActorRef peer)
    {
        if (!_peers.Add(peer))
            return false;
        Context.Watch(peer);
        peer.Tell(Snapshot(reply: false));
        _log.Info("Room {Room} spans the node of {Peer}", _name, peer.Path.Address);
        return true;
    }

    private RoomSpan.Presence Snapshot(bool reply) => new(_name, _version, _members.Values.Select(m => m.Info).ToList(), reply);

    private void OnPeerGone(IActorRef peer)
    {
        foreach (var (ticket, f) in _inFlight.Where(kv => kv.Value.Peer.Equals(peer)).ToList())
            KeepUnanswered(ticket, f, "its node is gone");
        var members = _peers.Drop(peer);
        if (members.Count > 0)
            _log.Info("Room {Room}: the node of {Peer} is gone; {Count} members there are away", _name, peer.Path.Address, members.Count);
        foreach (var m in members)
            MemberNoLongerHere(m, leftForGood: false);
    }

    private void OnPeerMemberPresent(MemberInfo member)
    {
        _away.Remove(member.Name);
        if (!_members.ContainsKey(member.Name))
            AnnounceLocally(WireCodec.EncodeFrame(new MemberJoined(_name, member)), except: null);
    }

    private void TellPeers(object message)
    {
        foreach (var peer in _peers.All)
            peer.Tell(message);
    }
}
