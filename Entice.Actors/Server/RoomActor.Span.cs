using Akka.Actor;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.Event;
using Entice.Server.Cluster;
using Entice.Wire;

namespace Entice.Server;

/// <summary>
/// The room's side of <see cref="RoomSpan"/>: finding the same room on other nodes, keeping their
/// presence, delivering what they route here, and fetching what was stored while a peer did not yet
/// know a member is here. On a lone node none of this runs: there are no peers.
/// </summary>
internal sealed partial class RoomActor
{
    private sealed record HelloTick;

    private readonly RoomPeers _peers = new();
    // Stored envelopes already handed to each local member, so a second fetch does not repeat them.
    private readonly Dictionary<string, HashSet<ulong>> _handed = new(StringComparer.Ordinal);
    private long _version;

    private long NextVersion() => ++_version;

    private void StartSpan()
    {
        if (!_settings.Cluster.Enabled)
            return;
        var mediator = DistributedPubSub.Get(Context.System).Mediator;
        mediator.Tell(new Subscribe(RoomSpan.Topic(_name), Self));
        Timers.StartPeriodicTimer("hello", new HelloTick(), TimeSpan.Zero, _settings.Cluster.RoomHelloInterval);
    }

    private void ReceiveSpan()
    {
        Receive<SubscribeAck>(_ => { });
        Receive<HelloTick>(_ => DistributedPubSub.Get(Context.System).Mediator.Tell(new Publish(RoomSpan.Topic(_name), new RoomSpan.Hello(_name, Self))));
        Receive<RoomSpan.Hello>(h => !h.RoomRef.Equals(Self), h => Discover(h.RoomRef));
        Receive<RoomSpan.Hello>(_ => { });
        Receive<RoomSpan.Presence>(p =>
        {
            Discover(Sender);
            foreach (var gone in _peers.Replace(Sender, p.Members))
                MemberNoLongerHere(gone, leftForGood: false);
            foreach (var m in p.Members)
                OnPeerMemberPresent(m);
            Sender.Tell(new RoomSpan.PresenceAck(_name, p.Version));
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
        Receive<RoomSpan.Deliver>(d => OnPeerDeliver(d.Envelope));
        Receive<RoomSpan.Stored>(s => HandOverStored(s.Recipient));
    }

    // First contact with a peer room: watch it (its node may leave) and send it who is here.
    private void Discover(IActorRef peer)
    {
        if (!_peers.Add(peer))
            return;
        Context.Watch(peer);
        peer.Tell(new RoomSpan.Presence(_name, _version, _members.Values.Select(m => m.Info).ToList()));
        _log.Info("Room {Room} spans the node of {Peer}", _name, peer.Path.Address);
    }

    private void OnPeerGone(IActorRef peer)
    {
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

    // A peer routed this here: deliver to members connected to this node; one who has just gone
    // gets it stored, so nothing routed is dropped between nodes.
    private void OnPeerDeliver(Envelope envelope)
    {
        if (envelope.Recipient.Length == 0)
        {
            DeliverLocally(envelope);
            return;
        }
        if (_members.TryGetValue(envelope.Recipient, out var to))
            to.Transport.Tell(new ClientTransport.Send(WireCodec.EncodeFrame(envelope)));
        else if (_peers.Where(envelope.Recipient) is { } peer && !peer.Equals(Sender))
            peer.Tell(new RoomSpan.Deliver(envelope));
        else if (_store is null || !Store(envelope))
            _log.Warning("Envelope {EnvelopeId} for {Recipient} in {Room} arrived from another node after they left; not kept",
                envelope.Id, envelope.Recipient, _name);
    }

    /// <summary>Hands a local member what waits for them in the store and was not handed over yet.</summary>
    private void HandOverStored(string name)
    {
        if (_store is null || !_members.TryGetValue(name, out var member))
            return;
        if (!_handed.TryGetValue(name, out var handed))
            _handed[name] = handed = [];
        foreach (var stored in _store.Pending(_name, name))
        {
            if (handed.Add(stored.Seq))
                member.Transport.Tell(new ClientTransport.Send(WireCodec.EncodeFrame(stored)));
        }
    }

    private void TellPeers(object message)
    {
        foreach (var peer in _peers.All)
            peer.Tell(message);
    }
}
