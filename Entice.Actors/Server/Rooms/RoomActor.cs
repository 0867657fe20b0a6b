using Akka.Actor;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.Event;
using Entice.Server.Cluster;
using Entice.Wire;
using Entice.Server.Store;
using Entice.Transport;

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
/// A member actor that crashes is restarted in place (same ref, membership untouched, other members never
/// notice); a member actor that stops means its member left. If the room itself crashes, its member actors
/// survive the restart and tell the new instance who they stand for (after it loaded again), so nobody is
/// disconnected. Each envelope is encoded once and the same frame is handed straight to every local
/// recipient's transport; the sender gets an EnvelopeAck once it is routed (to a connection, a peer node,
/// or committed by the store).
/// </summary>
internal sealed class RoomActor : ReceiveActor, IWithTimers, IWithUnboundedStash, IRoomSpanHost
{
    private sealed record IdleTick;

    private readonly string _name;
    private readonly ServerSettings _settings;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly RoomMembers _members = new();
    private readonly RoomStoreCalls? _store;
    private readonly RoomSpanLink _span;

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

    protected override void PreStart()
    {
        _store?.LoadMembers();
        StartSpan();
        WatchIdleness();
    }

    // Keep the children (the members' member actors) across a restart of the room itself (their names are
    // unique across instances, so new joins after a restart cannot collide with them)...
    protected override void PreRestart(Exception reason, object message) =>
        _log.Warning("Room {Room} failed ({Error}); restarting it with its members", _name, reason.GetType().Name);

    // ... and rebuild the member list from them.
    protected override void PostRestart(Exception reason)
    {
        _store?.LoadMembers();
        StartSpan();
        foreach (var member in Context.GetChildren())
            member.Tell(new Member.Reattach());
    }

    // A member actor's failure is a bug in handling one member's traffic: restart it, keep the member.
    protected override SupervisorStrategy SupervisorStrategy() =>
        new OneForOneStrategy(maxNrOfRetries: 10, withinTimeRange: TimeSpan.FromMinutes(1), localOnlyDecider: ex =>
        {
            _log.Warning("Member actor in room {Room} failed ({Error}); restarting it", _name, ex.GetType().Name);
            return Directive.Restart;
        });

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

    private void OnJoin(Room.Join join)
    {
        ForgetAwayBeyondLimits();
        var name = join.Member.Name;
        if (!_members.IsHere(name) && _members.Count >= _settings.MaxRoomMembers)
        {
            join.Transport.Tell(new Room.JoinRefused(_name, ErrorCodes.RoomFull, $"room {_name} is full ({_members.Count} members)"));
            return;
        }
        if (_members.TryGet(name, out var existing))
        {
            if (existing.Transport.Equals(join.Transport))
            {
                join.Transport.Tell(new Room.Joined(_name, existing.Actor, Others(name)));
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
        join.Transport.Tell(new Room.Joined(_name, member, others));
        WatchIdleness();
        // Then who is away (their keys, so the newcomer can write to them), then what waited for it.
        foreach (var away in _members.Away)
            join.Transport.Tell(new ClientTransport.Send(WireCodec.EncodeFrame(new MemberAway(_name, away))));
        HandOverStored(name);

        _members.Announce(WireCodec.EncodeFrame(new MemberJoined(_name, join.Member)), except: name);
        _log.Info("{Name} joined room {Room} ({Count} members)", name, _name, _members.Count);
    }

    private void OnRoute(Envelope envelope)
    {
        if (!_members.TryGet(envelope.Sender, out var from))
            return; // The sender left between sending and routing; nothing to do.

        var hex = _log.IsInfoEnabled
            ? Convert.ToHexStringLower(envelope.Ciphertext.AsSpan(0, Math.Min(_settings.LogHexPrefix, envelope.Ciphertext.Length)))
            : "";
        if (envelope.Recipient.Length == 0)
        {
            var count = _members.DeliverLocally(envelope);
            // To every peer room, with members or not: a member joining there right now is present by
            // the time it arrives. Room-wide envelopes are not kept for anyone: no answer is awaited.
            _span.TellPeers(new RoomSpan.Deliver(envelope, Ticket: 0));
            Acknowledge(from.Transport, envelope);
            if (_log.IsInfoEnabled)
                _log.Info("Relayed envelope {EnvelopeId} from {Sender} to room {Room} ({Recipients} members): {Size} B {CiphertextPrefix}…",
                    [envelope.Id, envelope.Sender, _name, count + _span.Count(except: envelope.Sender), envelope.Ciphertext.Length, hex]);
            return;
        }

        if (_members.TryGet(envelope.Recipient, out var to))
            to.Transport.Tell(new ClientTransport.Send(WireCodec.EncodeFrame(envelope)));
        else if (_span.Where(envelope.Recipient) is { } peer)
        {
            _span.HandToPeer(peer, envelope, from.Transport);
            _log.Info("Relayed envelope {EnvelopeId} from {Sender} to {Recipient} in {Room} through {Node}: {Size} B {CiphertextPrefix}…",
                [envelope.Id, envelope.Sender, envelope.Recipient, _name, peer.Path.Address, envelope.Ciphertext.Length, hex]);
            return;
        }
        else
        {
            if (_store is not null && _members.IsAway(envelope.Recipient))
                Keep(_store, envelope, from.Transport, hex);
            else if (_store is not null && _settings.Cluster.Enabled)
                _store.LookUp(envelope, from.Transport);
            else
                RefuseUnknown(from.Transport, envelope);
            return;
        }
        Acknowledge(from.Transport, envelope);
        _log.Info("Relayed envelope {EnvelopeId} from {Sender} to {Recipient} in {Room}{Kind}: {Size} B {CiphertextPrefix}…",
            [envelope.Id, envelope.Sender, envelope.Recipient, _name, envelope.Direct ? " (direct)" : "", envelope.Ciphertext.Length, hex]);
    }

    public void Acknowledge(IActorRef senderTransport, Envelope envelope) =>
        senderTransport.Tell(new ClientTransport.Send(WireCodec.EncodeFrame(new EnvelopeAck(envelope.Id))));

    private void RefuseUnknown(IActorRef senderTransport, Envelope envelope) =>
        senderTransport.Tell(new ClientTransport.Send(WireCodec.EncodeFrame(new EnvelopeRefused(envelope.Id, ErrorCodes.NoSuchMember,
            $"{envelope.Recipient} is not in room {_name}"))));

    // The recipient is away: the envelope is committed to disk before the sender hears it was taken.
    private void Keep(RoomStoreCalls store, Envelope envelope, IActorRef transport, string hex) =>
        store.Save(envelope, answer =>
        {
            if (answer is not { Kept: true })
            {
                var refusal = answer is { SenderFull: true }
                    ? new EnvelopeRefused(envelope.Id, ErrorCodes.SenderFull,
                        $"you have {_settings.MaxStoredPerSender} messages waiting for members who are away, the most this server keeps; not kept")
                    : new EnvelopeRefused(envelope.Id, ErrorCodes.RecipientFull, $"{envelope.Recipient} is away and has too many messages waiting; not kept");
                transport.Tell(new ClientTransport.Send(WireCodec.EncodeFrame(refusal)));
                return;
            }
            Acknowledge(transport, envelope);
            _log.Info("Kept envelope {EnvelopeId} from {Sender} for {Recipient} (away) in {Room}: {Size} B {CiphertextPrefix}…",
                [envelope.Id, envelope.Sender, envelope.Recipient, _name, envelope.Ciphertext.Length, hex]);
        });

    // Stored for someone not reachable through a connection right now; wherever they have just arrived
    // (here, or a node that told us nothing yet) fetches it.
    private void OnSaved(RoomStoreCalls.Saved saved)
    {
        if (saved.Answer is { Kept: true })
        {
            _span.TellPeers(new RoomSpan.Stored(_name, saved.Envelope.Recipient));
            HandOverStored(saved.Envelope.Recipient);
        }
        saved.Then(saved.Answer);
        StoreAnswered();
    }

    // Someone this room does not know may still be a member: one who joined on another node and went
    // away before this room heard of them. The shared store knew (or not).
    private void OnLooked(RoomStoreCalls.Looked looked)
    {
        var name = looked.Envelope.Recipient;
        if (looked.Member is null)
            RefuseUnknown(looked.SenderTransport, looked.Envelope);
        else
        {
            // Routed again: meanwhile the recipient may have arrived here or on a peer.
            if (!_members.IsHere(name) && !_span.IsPresent(name))
                _members.GoAway(looked.Member);
            OnRoute(looked.Envelope);
        }
        StoreAnswered();
    }

    private void StoreAnswered()
    {
        if (_store!.Answered())
            WatchIdleness();
    }

    private void AnswerWhenSaved(IActorRef replyTo)
    {
        if (_store is null)
            replyTo.Tell(new Room.Drained(_name));
        else
            _store.AnswerWhenSaved(replyTo);
    }

    /// <summary>Hands a local member what waits for them in the store and was not handed over yet.</summary>
    public void HandOverStored(string name)
    {
        if (_store is not null && _members.IsHere(name))
            _store.AskPending(name);
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
