using Akka.Actor;
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
///               or the settle deadline passed (see RoomActor.Span.cs); never idle.
///   Active   -> joins, routes, leaves; idle after room-idle-timeout with nobody here.
/// <code>
///   Loading --members loaded--> Settling --all nodes answered | deadline--> Active
///          \______________________(no other node)______________________/
/// </code>
/// Without a store a room starts past Loading; on a lone node it never settles.
/// Keeps the member list: present here (with their member), present on another node (in cluster
/// mode, see <see cref="RoomSpan"/>), or away (remembered, messages kept). A member actor that crashes
/// is restarted in place (same ref, membership untouched, other members never notice); a member actor that
/// stops means its member left. If the room itself crashes, its member actors survive the restart and tell
/// the new instance who they stand for (after it loaded again), so nobody is disconnected. Each
/// envelope is encoded once and the same frame is handed straight to every local recipient's
/// transport; the sender gets an EnvelopeAck once it is routed (to a connection, a peer node, or
/// committed by the store: see RoomActor.Store.cs).
/// </summary>
internal sealed partial class RoomActor : ReceiveActor, IWithTimers, IWithUnboundedStash
{
    // A member present here: their info, their member actor (the room's child) and their transport.
    private sealed record Present(MemberInfo Info, IActorRef Actor, IActorRef Transport, long JoinedAt);

    private readonly string _name;
    private readonly ServerSettings _settings;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Dictionary<string, Present> _members = new(StringComparer.Ordinal);
    private readonly Dictionary<string, MemberInfo> _away = new(StringComparer.Ordinal);
    // When each away member went away (or was last seen): the cap forgets the longest away first.
    private readonly Dictionary<string, DateTimeOffset> _awaySince = new(StringComparer.Ordinal);
    public RoomActor(string name, ServerSettings settings, IActorRef? store)
    {
        _name = name;
        _settings = settings;
        _store = store;
        if (store is null)
            Active();
        else
            Loading();
    }

    public IStash Stash { get; set; } = null!;

    private void Loading()
    {
        Receive<ServerStore.MembersLoaded>(loaded =>
        {
            OnMembersLoaded(loaded);
            if (_unanswered.Count > 0)
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
        Receive<SettleDeadline>(_ => { }); // settled before it fired
        Members();
    }

    // Joins wait (stashed) until every other node has said whether it has this room (see RoomSpan.Find);
    // the room is not idle meanwhile.
    private void Settling()
    {
        Receive<Room.Join>(_ => Stash.Stash());
        Receive<IdleTick>(_ => { });
        Receive<Room.StopIfIdle>(_ => Context.Parent.Tell(new Room.Busy(_name)));
        Receive<SettleDeadline>(_ =>
        {
            _log.Warning("Room {Room}: no answer from {Nodes} in time; admitting members anyway", _name, string.Join(", ", _unanswered));
            Settle();
        });
        Members();
    }

    // What the room does in every state once loaded.
    private void Members()
    {
        Receive<Room.Rejoin>(r =>
        {
            _away.Remove(r.Member.Name);
            _members[r.Member.Name] = new Present(r.Member, Sender, r.Transport, NextVersion());
            Context.Watch(Sender);
            WatchIdleness();
            TellPeers(new RoomSpan.MemberPresent(_name, _version, r.Member));
        });
        Receive<Room.Route>(r => OnRoute(r.Envelope));
        Receive<Room.Leave>(l => RemoveMember(l.Name, leftForGood: true));
        Receive<Room.Drain>(d => AnswerWhenSaved(d.ReplyTo));
        Receive<Room.Away>(a =>
        {
            RemoveMember(a.Name, leftForGood: false);
            AnswerWhenSaved(a.ReplyTo);
        });
        Receive<Saved>(OnSaved);
        Receive<Looked>(OnLooked);
        Receive<ServerStore.PendingFound>(OnPendingFound);
        ReceiveSpan();
        Receive<Terminated>(t =>
        {
            var gone = _members.Values.FirstOrDefault(m => m.Actor.Equals(t.ActorRef));
            if (gone is not null)
                RemoveMember(gone.Info.Name, leftForGood: false);
            else
                OnPeerGone(t.ActorRef);
        });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    protected override void PreStart()
    {
        if (_store is not null)
            LoadMembers();
        StartSpan();
        WatchIdleness();
    }

    private sealed record IdleTick;

    private bool IsIdle => _members.Count == 0 && _storing == 0;

    // A room nobody is connected to holds memory and does nothing (what it remembers is in the store):
    // after the idle timeout it asks the directory to stop it; the next join starts it again.
    private void WatchIdleness()
    {
        if (IsIdle)
            Timers.StartSingleTimer("idle", new IdleTick(), _settings.RoomIdleTimeout);
        else
            Timers.Cancel("idle");
    }

    // Keep the children (the members' member actors) across a restart of the room itself (their names are
    // unique across instances, so new joins after a restart cannot collide with them)...
    protected override void PreRestart(Exception reason, object message) =>
        _log.Warning("Room {Room} failed ({Error}); restarting it with its members", _name, reason.GetType().Name);

    // ... and rebuild the member list from them.
    protected override void PostRestart(Exception reason)
    {
        if (_store is not null)
            LoadMembers();
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

    private void OnJoin(Room.Join join)
    {
        ForgetAwayBeyondLimits();
        var name = join.Member.Name;
        if (!_members.ContainsKey(name) && _members.Count >= _settings.MaxRoomMembers)
        {
            join.Transport.Tell(new Room.JoinRefused(_name, ErrorCodes.RoomFull, $"room {_name} is full ({_members.Count} members)"));
            return;
        }
        if (_members.TryGetValue(name, out var existing))
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
        _members[name] = new Present(join.Member, member, join.Transport, NextVersion());
        _away.Remove(name);
        _handed.Remove(name);
        _store?.Tell(new ServerStore.RememberMember(_name, join.Member));
        TellPeers(new RoomSpan.MemberPresent(_name, _version, join.Member));
        join.Transport.Tell(new Room.Joined(_name, member, others));
        WatchIdleness();
        // Then who is away (their keys, so the newcomer can write to them), then what waited for it.
        foreach (var away in _away.Values)
            join.Transport.Tell(new ClientTransport.Send(WireCodec.EncodeFrame(new MemberAway(_name, away))));
        HandOverStored(name);

        AnnounceLocally(WireCodec.EncodeFrame(new MemberJoined(_name, join.Member)), except: name);
        _log.Info("{Name} joined room {Room} ({Count} members)", name, _name, _members.Count);
    }

    private void OnRoute(Envelope envelope)
    {
        if (!_members.TryGetValue(envelope.Sender, out var from))
            return; // The sender left between sending and routing; nothing to do.

        var hex = _log.IsInfoEnabled
            ? Convert.ToHexStringLower(envelope.Ciphertext.AsSpan(0, Math.Min(_settings.LogHexPrefix, envelope.Ciphertext.Length)))
            : "";
        if (envelope.Recipient.Length == 0)
        {
            var count = DeliverLocally(envelope);
            // To every peer room, with members or not: a member joining there right now is present by
            // the time it arrives. Room-wide envelopes are not kept for anyone: no answer is awaited.
            TellPeers(new RoomSpan.Deliver(envelope, Ticket: 0));
            Acknowledge(from, envelope);
            if (_log.IsInfoEnabled)
                _log.Info("Relayed envelope {EnvelopeId} from {Sender} to room {Room} ({Recipients} members): {Size} B {CiphertextPrefix}…",
                    [envelope.Id, envelope.Sender, _name, count + _peers.Count(except: envelope.Sender), envelope.Ciphertext.Length, hex]);
            return;
        }

        if (_members.TryGetValue(envelope.Recipient, out var to))
            to.Transport.Tell(new ClientTransport.Send(WireCodec.EncodeFrame(envelope)));
        else if (_peers.Where(envelope.Recipient) is { } peer)
        {
            HandToPeer(peer, envelope, from.Transport);
            _log.Info("Relayed envelope {EnvelopeId} from {Sender} to {Recipient} in {Room} through {Node}: {Size} B {CiphertextPrefix}…",
                [envelope.Id, envelope.Sender, envelope.Recipient, _name, peer.Path.Address, envelope.Ciphertext.Length, hex]);
            return;
        }
        else
        {
            if (_store is not null && _away.ContainsKey(envelope.Recipient))
                Keep(envelope, from, hex);
            else if (_store is not null && _settings.Cluster.Enabled)
                LookUp(envelope, from.Transport);
            else
                RefuseUnknown(from.Transport, envelope);
            return;
        }
        Acknowledge(from, envelope);
        _log.Info("Relayed envelope {EnvelopeId} from {Sender} to {Recipient} in {Room}{Kind}: {Size} B {CiphertextPrefix}…",
            [envelope.Id, envelope.Sender, envelope.Recipient, _name, envelope.Direct ? " (direct)" : "", envelope.Ciphertext.Length, hex]);
    }

    /// <summary>A room-wide envelope to every member connected here but its sender; returns how many.</summary>
    private int DeliverLocally(Envelope envelope)
    {
        var frame = new ClientTransport.Send(WireCodec.EncodeFrame(envelope));
        var count = 0;
        foreach (var m in _members.Values)
        {
            if (m.Info.Name == envelope.Sender)
                continue;
            m.Transport.Tell(frame);
            count++;
        }
        return count;
    }

    private static void Acknowledge(Present from, Envelope envelope) => Acknowledge(from.Transport, envelope);

    private static void Acknowledge(IActorRef sender, Envelope envelope) =>
        sender.Tell(new ClientTransport.Send(WireCodec.EncodeFrame(new EnvelopeAck(envelope.Id))));

    // The recipient is away: the envelope is committed to disk before the sender hears it was taken.
    private void Keep(Envelope envelope, Present from, string hex)
    {
        var transport = from.Transport;
        Save(envelope, answer =>
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
    }

    // Leaving for good (LeaveRoom) forgets the member; a dropped connection leaves them away, remembered.
    private void RemoveMember(string name, bool leftForGood)
    {
        if (!_members.Remove(name, out var member))
            return;
        Context.Unwatch(member.Actor);
        Context.Stop(member.Actor);
        _handed.Remove(name);
        TellPeers(new RoomSpan.MemberGone(_name, NextVersion(), name, leftForGood));
        if (leftForGood)
        {
            _store?.Tell(new ServerStore.ForgetMember(_name, name));
            member.Transport.Tell(new ClientTransport.Send(WireCodec.EncodeFrame(new RoomLeft(_name))));
        }
        _log.Info("{Name} {Went} room {Room} ({Count} members)", name, leftForGood ? "left" : "is away from", _name, _members.Count);
        MemberNoLongerHere(member.Info, leftForGood);
        WatchIdleness();
    }

    /// <summary>
    /// A member is no longer present here or on the node that just told us; unless they are present
    /// elsewhere, the members here hear they left or are away.
    /// </summary>
    private void MemberNoLongerHere(MemberInfo member, bool leftForGood)
    {
        if (_members.ContainsKey(member.Name) || _peers.IsPresent(member.Name))
            return;
        var away = !leftForGood && _store is not null;
        if (away)
        {
            _away[member.Name] = member;
            _awaySince[member.Name] = DateTimeOffset.UtcNow;
            _store!.Tell(new ServerStore.MarkAway(_name, member.Name));
        }
        else
        {
            _away.Remove(member.Name);
        }
        AnnounceLocally(away
            ? WireCodec.EncodeFrame(new MemberAway(_name, member))
            : WireCodec.EncodeFrame(new MemberLeft(_name, member.Name)), except: null);
        ForgetAwayBeyondLimits();
    }

    // Away members are bounded: each is sent to every newcomer and written to by every sender. Those away
    // longer than away.time-to-live, and the longest away beyond away.max-per-room, are forgotten: the
    // members here see them leave, and nothing more is kept for them.
    private void ForgetAwayBeyondLimits()
    {
        if (_store is null || _away.Count == 0)
            return;
        var cutoff = DateTimeOffset.UtcNow - _settings.AwayTimeToLive;
        var expired = _away.Keys.Where(n => _awaySince.GetValueOrDefault(n) < cutoff).ToList();
        var excess = _away.Count - expired.Count - _settings.MaxAwayMembers;
        if (excess > 0)
        {
            expired.AddRange(_away.Keys.Except(expired).OrderBy(n => _awaySince.GetValueOrDefault(n)).ThenBy(n => n, StringComparer.Ordinal).Take(excess));
        }
        foreach (var name in expired)
        {
            _away.Remove(name);
            _awaySince.Remove(name);
            _store.Tell(new ServerStore.ForgetMember(_name, name));
            AnnounceLocally(WireCodec.EncodeFrame(new MemberLeft(_name, name)), except: null);
        }
        if (expired.Count > 0)
            _log.Info("Room {Room} forgot {Count} away members (away too long or beyond {Max})", _name, expired.Count, _settings.MaxAwayMembers);
    }

    private void AnnounceLocally(byte[] frame, string? except)
    {
        var send = new ClientTransport.Send(frame);
        foreach (var m in _members.Values)
        {
            if (m.Info.Name != except)
                m.Transport.Tell(send);
        }
    }

    private List<MemberInfo> Others(string name) =>
        _members.Values.Select(m => m.Info).Concat(_peers.Members().Where(m => !_members.ContainsKey(m.Name)))
            .Where(m => m.Name != name).ToList();
}
