using Akka.Actor;
using Akka.Event;
using Entice.Server.Cluster;
using Entice.Server.Store;

namespace Entice.Server.Rooms;

/// <summary>
/// States:
///   Loading -> (with a store) asks it for the members it remembers; everything else is stashed.
///   Settling -> (in a cluster) joins are stashed until the same room on every other node has answered
///               or the settle deadline passed (see <see cref="RoomSpanLink"/>); never idle.
///   Active   -> joins, routes, leaves; idle after room-idle-timeout with nobody here.
/// <code>
///   Loading --members loaded--> Settling --all nodes answered | deadline--> Active
///          \______________________(no other node)______________________/
/// </code>
/// Without a store a room starts past Loading; on a lone node it never settles.
/// The actor holds the states, the receive wiring and the decisions (who joins, where an envelope goes,
/// whether a member is away or left); its parts are plain classes it owns and calls directly, each with
/// its own fields: <see cref="RoomMembers"/> (present here, away), <see cref="RoomSpanLink"/> (the same
/// room on other nodes and the envelopes between them; talks back through <see cref="IRoomSpanHost"/>)
/// and <see cref="RoomStoreCalls"/> (the store's calls, "answer only after the save").
/// This file holds the states and their receive wiring; the decisions are in partial files, one concept
/// each: <c>.Joins</c> (who comes and goes, the bound on away members), <c>.Routing</c> (where an envelope
/// goes), <c>.Keeping</c> (envelopes kept for away members and handed over), <c>.Span</c> (peer rooms on
/// other nodes, settling) and <c>.Lifecycle</c> (start, restart, supervision).
/// A member actor that crashes is restarted in place (same ref, membership untouched, other members never
/// notice); a member actor that stops means its member left. If the room itself crashes, its member actors
/// survive the restart and tell the new instance who they stand for (after it loaded again), so nobody is
/// disconnected. Each envelope is encoded once and the same frame is handed straight to every local
/// recipient's transport; the sender gets an EnvelopeAck once it is routed (to a connection, a peer node,
/// or committed by the store).
/// </summary>
internal sealed partial class RoomActor : ReceiveActor, IWithTimers, IWithUnboundedStash, IRoomSpanHost
{
    private sealed record IdleTick;

    private readonly string _name;
    private readonly ServerSettings _settings;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly RoomMembers _members = new();
    private readonly RoomStoreCalls? _store;
    private readonly RoomSpanLink _span;
    private readonly RoomFanout _fanout = new();

    public RoomActor(string name, ServerSettings settings, IActorRef? store)
    {
        _name = name;
        _settings = settings;
        _store = store is null ? null : new RoomStoreCalls(name, settings, store, Self);
        _span = new RoomSpanLink(name, settings, _log, Context, _members, _store, this);
        if (store is null)
            Active();
        else
            Loading();
    }

    public IStash Stash { get; set; } = null!;

    public ITimerScheduler Timers { get; set; } = null!;

    private void Loading()
    {
        Receive<ServerStore.MembersLoaded>(loaded =>
        {
            foreach (var (member, seenAt) in loaded.Members)
                _members.GoAway(member, seenAt);
            if (_span.HasUnanswered)
                Become(Settling);
            else
                Become(Active);
            Stash.UnstashAll();
        });
        ReceiveAny(_ => Stash.Stash());
    }

    private void Active()
    {
        Receive<Room.Join>(OnJoin);
        Receive<IdleTick>(_ =>
        {
            if (IsIdle)
                Context.Parent.Tell(new Room.Idle(_name));
        });
        Receive<Room.StopIfIdle>(_ =>
        {
            if (IsIdle)
            {
                _log.Info("Room {Room} stopped: nobody here for {Timeout}", _name, _settings.RoomIdleTimeout);
                Context.Stop(Self);
            }
            else
            {
                Context.Parent.Tell(new Room.Busy(_name));
            }
        });
        Receive<RoomSpanLink.SettleDeadline>(_ => { }); // settled before it fired
        Members();
    }

    // Joins wait (stashed) until every other node has said whether it has this room (see RoomSpan.Find);
    // the room is not idle meanwhile.
    private void Settling()
    {
        Receive<Room.Join>(_ => Stash.Stash());
        Receive<IdleTick>(_ => { });
        Receive<Room.StopIfIdle>(_ => Context.Parent.Tell(new Room.Busy(_name)));
        Receive<RoomSpanLink.SettleDeadline>(_ =>
        {
            _log.Warning("Room {Room}: no answer from {Nodes} in time; admitting members anyway", _name, _span.Unanswered);
            Settle();
        });
        Members();
    }

    // What the room does in every state once loaded.
    private void Members()
    {
        Receive<Room.Rejoin>(r =>
        {
            _members.Arrive(new RoomMembers.Present(r.Member, Sender, r.Transport, _span.NextVersion()));
            Context.Watch(Sender);
            WatchIdleness();
            _span.TellPeers(new RoomSpan.MemberPresent(_name, _span.Version, r.Member));
        });
        Receive<Room.Route>(r => OnRoute(r.Envelope));
        Receive<RoomFanout.Flush>(_ => FlushFanout());
        Receive<WriteRelayLog>(_ => WriteRelayed());
        Receive<Room.Leave>(l => RemoveMember(l.Name, leftForGood: true));
        Receive<Room.Drain>(d => AnswerWhenSaved(d.ReplyTo));
        Receive<Room.Away>(a =>
        {
            RemoveMember(a.Name, leftForGood: false);
            AnswerWhenSaved(a.ReplyTo);
        });
        Receive<RoomStoreCalls.Saved>(OnSaved);
        Receive<RoomStoreCalls.Looked>(OnLooked);
        Receive<ServerStore.PendingFound>(found =>
        {
            if (_members.TryGet(found.Recipient, out var member))
                _store?.HandOver(found, member);
        });
        ReceiveSpan();
        Receive<Terminated>(t =>
        {
            var gone = _members.ByActor(t.ActorRef);
            if (gone is not null)
                RemoveMember(gone.Info.Name, leftForGood: false);
            else
                _span.OnPeerGone(t.ActorRef);
        });
    }

    // A burst of room-wide envelopes ends before anything else is handled: what the room sends stays in
    // the order it decided it, and nobody joins or leaves within a burst.
    protected override bool AroundReceive(Receive receive, object message)
    {
        if (message is not Room.Route && !_fanout.IsEmpty)
            FlushFanout();
        return base.AroundReceive(receive, message);
    }

    private void FlushFanout()
    {
        _fanout.SendTo(_members.All);
        WriteRelayedPerBurst();
    }

    private bool IsIdle => _members.Count == 0 && _store is not { Busy: true };

    // A room nobody is connected to holds memory and does nothing (what it remembers is in the store):
    // after the idle timeout it asks the directory to stop it; the next join starts it again.
    private void WatchIdleness()
    {
        if (IsIdle)
            Timers.StartSingleTimer("idle", new IdleTick(), _settings.RoomIdleTimeout);
        else
            Timers.Cancel("idle");
    }
}
