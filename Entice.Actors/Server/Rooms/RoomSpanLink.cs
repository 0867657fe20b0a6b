using Akka.Actor;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.Event;
using Entice.Server.Cluster;
using Entice.Transport;
using Entice.Wire;

namespace Entice.Server.Rooms;

/// <summary>
/// The room's side of <see cref="RoomSpan"/>, owned by its <see cref="RoomActor"/> (called on the room's
/// thread): finding the same room on other nodes, keeping their presence and the version of ours, and
/// the envelopes between them. A direct envelope handed to the recipient's node is acknowledged to its
/// sender only once that node took it, and stored when no answer comes; what a peer routes here is
/// delivered or stored, and only then is the peer told it was taken. On a lone node none of this runs:
/// there are no peers.
/// </summary>
internal sealed class RoomSpanLink(string room, ServerSettings settings, ILoggingAdapter log, IActorContext context,
    RoomMembers members, RoomStoreCalls? store, IRoomSpanHost host)
{
    internal sealed record HelloTick;

    internal sealed record SettleDeadline;

    internal sealed record InFlightTick;

    // A direct envelope handed to a peer room, waiting for its Taken.
    private sealed record InFlight(Envelope Envelope, IActorRef SenderTransport, IActorRef Peer, DateTime Deadline);

    private readonly RoomPeers _peers = new();
    private long _version;
    // The nodes that have not yet said whether they have this room (see RoomSpan.Find); while any is
    // left the room is Settling.
    private readonly HashSet<Address> _unanswered = [];
    private readonly Dictionary<long, InFlight> _inFlight = [];
    private long _lastTicket;

    public long Version => _version;

    public long NextVersion() => ++_version;

    public string Unanswered => string.Join(", ", _unanswered);

    public bool IsPresent(string name) => _peers.IsPresent(name);

    public IActorRef? Where(string name) => _peers.Where(name);

    public IEnumerable<MemberInfo> Members() => _peers.Members();

    public int Count(string except) => _peers.Count(except: except);

    /// <summary>
    /// Subscribes to the room's topic and asks every other node whether it has this room; true when
    /// some must answer first (the room settles, with a deadline for nodes that cannot answer).
    /// </summary>
    public bool Start(ITimerScheduler timers)
    {
        if (!settings.Cluster.Enabled)
            return false;
        var mediator = DistributedPubSub.Get(context.System).Mediator;
        mediator.Tell(new Subscribe(RoomSpan.Topic(room), context.Self));
        timers.StartPeriodicTimer("hello", new HelloTick(), settings.Cluster.RoomHelloInterval);
        timers.StartPeriodicTimer("in-flight", new InFlightTick(), settings.Cluster.PeerDeliveryTimeout / 4);

        var cluster = Akka.Cluster.Cluster.Get(context.System);
        foreach (var node in cluster.State.Members.Where(m => m.Status == Akka.Cluster.MemberStatus.Up && m.Address != cluster.SelfAddress))
        {
            _unanswered.Add(node.Address);
            context.ActorSelection(new RootActorPath(node.Address) / "user" / RelayServer.ActorName / "rooms")
                .Tell(new RoomSpan.Find(room, context.Self));
        }
        if (_unanswered.Count == 0)
            return false;
        timers.StartSingleTimer("settle", new SettleDeadline(), settings.Cluster.PeerDeliveryTimeout);
        return true;
    }

    /// <summary>A node said whether it has this room; true when it was the last one awaited.</summary>
    public bool Answered(Address node) => _unanswered.Remove(node) && _unanswered.Count == 0;

    public void Settled(ITimerScheduler timers)
    {
        _unanswered.Clear();
        timers.Cancel("settle");
    }

    public bool HasUnanswered => _unanswered.Count > 0;

    public void TellPeers(object message)
    {
        foreach (var peer in _peers.All)
            peer.Tell(message);
    }

    public void SayHello() =>
        DistributedPubSub.Get(context.System).Mediator.Tell(new Publish(RoomSpan.Topic(room), new RoomSpan.Hello(room, context.Self)));

    // First contact with a peer room: watch it (its node may leave) and send it who is here. False
    // when the peer was known already.
    public bool Discover(IActorRef peer)
    {
        if (!_peers.Add(peer))
            return false;
        context.Watch(peer);
        peer.Tell(Snapshot(reply: false));
        log.Info("Room {Room} spans the node of {Peer}", room, peer.Path.Address);
        return true;
    }

    private RoomSpan.Presence Snapshot(bool reply) => new(room, _version, members.All.Select(m => m.Info).ToList(), reply);

    public void OnPresence(RoomSpan.Presence p, IActorRef sender)
    {
        if (!Discover(sender) && !p.Reply)
        {
            // A peer we knew meets us anew: its room restarted and forgot us. It learns who is
            // here, and may have stored for them meanwhile: its next ack counts as a first one.
            _peers.Forgot(sender);
            sender.Tell(Snapshot(reply: true));
        }
        foreach (var gone in _peers.Replace(sender, p.Members))
            host.NoLongerHere(gone, leftForGood: false);
        foreach (var m in p.Members)
            host.PresentElsewhere(m);
        sender.Tell(new RoomSpan.PresenceAck(room, p.Version));
    }

    public void OnMemberPresent(RoomSpan.MemberPresent p, IActorRef sender)
    {
        Discover(sender);
        _peers.SetPresent(sender, p.Member);
        host.PresentElsewhere(p.Member);
        sender.Tell(new RoomSpan.PresenceAck(room, p.Version));
    }

    public void OnMemberGone(RoomSpan.MemberGone g, IActorRef sender)
    {
        Discover(sender);
        if (_peers.Remove(sender, g.Name) is { } member)
            host.NoLongerHere(member, g.LeftForGood);
        sender.Tell(new RoomSpan.PresenceAck(room, g.Version));
    }

    public void OnPresenceAck(RoomSpan.PresenceAck a, IActorRef sender)
    {
        Discover(sender);
        // Until this ack the peer may have stored envelopes for members who joined here since its
        // last one (or for everyone, on a first ack): fetch them now.
        var before = _peers.Acknowledge(sender, a.Version);
        foreach (var m in members.All.Where(m => m.JoinedAt > before && m.JoinedAt <= a.Version).ToList())
            host.HandOverStored(m.Info.Name);
    }

    /// <summary>A peer room stopped (its node left or it crashed): what it was handed is kept here, its members are away.</summary>
    public void OnPeerGone(IActorRef peer)
    {
        foreach (var (ticket, f) in _inFlight.Where(kv => kv.Value.Peer.Equals(peer)).ToList())
            KeepUnanswered(ticket, f, "its node is gone");
        var gone = _peers.Drop(peer);
        if (gone.Count > 0)
            log.Info("Room {Room}: the node of {Peer} is gone; {Count} members there are away", room, peer.Path.Address, gone.Count);
        foreach (var m in gone)
            host.NoLongerHere(m, leftForGood: false);
    }

    public void HandToPeer(IActorRef peer, Envelope envelope, IActorRef senderTransport)
    {
        var ticket = ++_lastTicket;
        _inFlight[ticket] = new InFlight(envelope, senderTransport, peer, DateTime.UtcNow + settings.Cluster.PeerDeliveryTimeout);
        peer.Tell(new RoomSpan.Deliver(envelope, ticket));
    }

    public void OnTaken(RoomSpan.Taken t)
    {
        if (_inFlight.Remove(t.Ticket, out var taken))
            host.Acknowledge(taken.SenderTransport, taken.Envelope);
    }

    public void KeepOverdue()
    {
        var now = DateTime.UtcNow;
        foreach (var (ticket, f) in _inFlight.Where(kv => kv.Value.Deadline <= now).ToList())
            KeepUnanswered(ticket, f, "no answer from its node");
    }

    // The recipient's node did not confirm (it may have crashed with the envelope): keep it here, so it
    // waits for the recipient wherever they come back. Should the node have delivered it after all, the
    // recipient's client drops the second copy.
    private void KeepUnanswered(long ticket, InFlight f, string why)
    {
        _inFlight.Remove(ticket);
        if (store is null)
        {
            RefuseUnreachable(f);
            return;
        }
        store.Save(f.Envelope, answer =>
        {
            if (answer is not { Kept: true })
            {
                RefuseUnreachable(f);
                return;
            }
            host.Acknowledge(f.SenderTransport, f.Envelope);
            log.Info("Kept envelope {EnvelopeId} for {Recipient} in {Room}: {Why}", f.Envelope.Id, f.Envelope.Recipient, room, why);
        });
    }

    private static void RefuseUnreachable(InFlight f) =>
        f.SenderTransport.Tell(new ClientTransport.Send(WireCodec.EncodeFrame(new EnvelopeRefused(f.Envelope.Id, ErrorCodes.RecipientFull,
            $"{f.Envelope.Recipient} could not be reached and nothing more can be kept for them"))));

    // A peer routed this here: deliver to members connected to this node; one who has just gone gets
    // it stored, so nothing routed is dropped between nodes. Only then is the peer told it was taken.
    // How long after a member went from here a room-wide envelope routed by a peer is kept for them: the
    // time our MemberGone takes to reach the other nodes, with room to spare.
    private static readonly TimeSpan JustWentAway = TimeSpan.FromSeconds(10);

    public void OnPeerDeliver(RoomSpan.Deliver deliver, IActorRef peer)
    {
        var envelope = deliver.Envelope;
        if (envelope.Recipient.Length == 0)
        {
            members.DeliverLocally(envelope);
            // A member who has just gone from here is still present to the sending node until our word
            // that they went reaches it, so that node kept nothing for them: the room's log keeps it
            // here (the store owes it to whoever is away; a second row from the sender's node, if it
            // heard in time, reaches them as a copy their client drops).
            if (store is not null && members.WentAwayWithin(JustWentAway, DateTimeOffset.UtcNow))
                store.Save(envelope, answer =>
                {
                    if (answer is not { Kept: true })
                        NotKept(envelope);
                });
            return;
        }
        if (members.TryGet(envelope.Recipient, out var to))
        {
            to.Transport.Tell(new ClientTransport.Send(WireCodec.EncodeFrame(envelope)));
            peer.Tell(new RoomSpan.Taken(room, deliver.Ticket));
            return;
        }
        if (store is null)
        {
            NotKept(envelope);
            return;
        }
        store.Save(envelope, answer =>
        {
            if (answer is { Kept: true })
                peer.Tell(new RoomSpan.Taken(room, deliver.Ticket));
            else
                NotKept(envelope);
        });
    }

    private void NotKept(Envelope envelope) =>
        log.Warning("Envelope {EnvelopeId} for {Recipient} in {Room} arrived from another node after they left; not kept",
            envelope.Id, envelope.Recipient, room);
}
