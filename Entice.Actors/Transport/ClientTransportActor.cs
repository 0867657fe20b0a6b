using System.Net;
using System.Security.Cryptography;
using Akka.Actor;
using Akka.Event;
using Akka.IO;
using Entice.Wire;
using Entice.Server;
using Entice.Server.Names;
using Entice.Server.Rooms;
using Entice.Server.Store;
using Entice.Crypto.Identity;
using Entice.Crypto.Primitives;

namespace Entice.Transport;

/// <summary>
/// One client's connection. States (each a <c>Become</c> behaviour below):
/// <code>
///   AwaitingHello --valid Hello--> Claiming --Claimed--> Serving --Goodbye drained--> Closing
///        |                            |                     |                            ^
///        +----- error, timeout, ------+---- refused, -------+---- error, idle, ----------+
///               shutdown                    replaced,            replaced, shutdown
///                                           flood, timeout
/// </code>
///   AwaitingHello: ServerHello sent; only a valid Hello (at most a hello-sized frame) is accepted.
///   Claiming:      the name registry decides; what the client sends meanwhile is stashed, in order,
///                  within a count and byte bound (past it: closed, "wait for welcome").
///   Serving:       joins, leaves, envelopes (to the member actor in the room), prekeys, pings, goodbye.
///   Closing:       a final frame is queued; the socket closes once it is written; input is ignored.
/// Any protocol violation costs only this connection: it is logged with a reason and closed.
/// Outbound goes through an <see cref="AckedWriter"/>; a client that falls further behind than its
/// queue allows is aborted.
/// </summary>
internal sealed class ClientTransportActor : ReceiveActor, IWithTimers, IWithStash
{
    private sealed record HandshakeDeadline;

    private sealed record HeartbeatTick;

    /// <summary>Frames decoded in the same read as the hello: handled first once the claim is done.</summary>
    private sealed record HeldFrames(List<byte[]> Frames);

    private readonly IActorRef _connection;
    private readonly EndPoint _remote;
    private readonly ServerSettings _settings;
    private readonly IActorRef _names;
    private readonly IActorRef _rooms;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly FrameDecoder _decoder;
    private readonly AckedWriter _writer;
    private readonly List<byte[]> _frames = [];
    private readonly Dictionary<string, IActorRef> _memberships = new(StringComparer.Ordinal);
    private readonly HashSet<string> _drainsPending = new(StringComparer.Ordinal);
    private readonly byte[] _challenge = RandomNumberGenerator.GetBytes(32);
    private bool _goodbyeRequested;
    private bool _shuttingDown;
    private string _name = "";
    private MemberInfo? _member;
    private readonly TokenBucket _rate;
    private readonly TokenBucket _joinRate;
    private readonly bool _refuse;
    private long _lastHeardTicks = Environment.TickCount64 * TimeSpan.TicksPerMillisecond;
    private long _lastRateNoticeTicks;
    private long _rateLimited;
    private ulong _pingNonce;

    private readonly IActorRef? _store;
    private readonly FrameBudget? _budget;
    private long _budgetReserved;

    // What waits while the name is claimed: reads stashed, and the bytes they hold (also reserved in the budget).
    private int _heldReads;
    private long _heldBytes;
    private long _heldReserved;

    /// <summary>First size of a frame buffer; it doubles as the frame's bytes arrive.</summary>
    private const int FrameBufferStart = 256;

    /// <summary>Reads that may wait while the name is being claimed (a client waits for Welcome; this is slack).</summary>
    private const int MaxHeldReadsWhileClaiming = 16;

    public ClientTransportActor(IActorRef connection, EndPoint remote, ServerSettings settings, IActorRef names, IActorRef rooms, bool refuse,
        IActorRef? store, FrameBudget? budget)
    {
        _store = store;
        _budget = budget;
        _refuse = refuse;
        _rate = new TokenBucket(settings.EnvelopesPerSecond, settings.EnvelopeBurst, NowTicks());
        _joinRate = new TokenBucket(settings.JoinsPerSecond, settings.JoinBurst, NowTicks());
        _connection = connection;
        _remote = remote;
        _settings = settings;
        _names = names;
        _rooms = rooms;
        // Until the hello is accepted a connection is nobody: it may send a hello-sized frame and no more.
        _decoder = new FrameDecoder(Math.Min(settings.MaxHelloFrameSize, settings.MaxFrameSize), growFrom: FrameBufferStart);
        _writer = new AckedWriter(settings.MaxOutboundQueueBytes);
        AwaitingHello();
    }

    public IStash Stash { get; set; } = null!;

    /// <summary>The bytes a client may send between its hello and its welcome (a hello-sized frame or two is plenty).</summary>
    private long MaxHeldBytesWhileClaiming => Math.Max(_settings.MaxHelloFrameSize, 4096);

    private void AwaitingHello()
    {
        Receive<Tcp.Received>(r => OnReceived(r.Data, OnFrameBeforeHello));
        Receive<HandshakeDeadline>(_ => Fail(ErrorCodes.HandshakeTimeout, $"no hello within {_settings.HandshakeTimeout.TotalSeconds:0.#} s", "handshake timeout"));
        Receive<ClientTransport.Shutdown>(_ => FailForShutdown());
        Always();
    }

    private void Claiming()
    {
        Receive<Tcp.Received>(r => HoldWhileClaiming(r.Data));
        Receive<NameRegistry.Claimed>(OnClaimed);
        Receive<NameRegistry.Refused>(r => Fail(r.Code, r.Message, $"name refused: {r.Code}"));
        Receive<NameRegistry.Replaced>(OnReplaced);
        Receive<HandshakeDeadline>(_ => Fail(ErrorCodes.HandshakeTimeout, $"no welcome within {_settings.HandshakeTimeout.TotalSeconds:0.#} s", "handshake timeout while claiming"));
        Receive<ClientTransport.Shutdown>(_ => FailForShutdown());
        Always();
    }

    private void Serving()
    {
        Receive<Tcp.Received>(r => OnReceived(r.Data, HandleFrame));
        Receive<HeartbeatTick>(_ => OnHeartbeat(ping: true));
        Receive<HeldFrames>(h =>
        {
            foreach (var frame in h.Frames)
                if (!_writer.Closing)
                    HandleFrame(frame);
        });
        Receive<NameRegistry.Replaced>(OnReplaced);
        Receive<Room.Joined>(OnJoined);
        Receive<Room.JoinRefused>(r => Enqueue(WireCodec.EncodeFrame(new ErrorMessage(r.Code, r.Message))));
        Receive<ServerStore.PrekeyTaken>(OnPrekeyTaken);
        Receive<Room.Drained>(d =>
        {
            _drainsPending.Remove(d.Room);
            if (_shuttingDown)
                MaybeCloseForShutdown();
            else
                MaybeSayGoodbye();
        });
        Receive<ClientTransport.Shutdown>(_ => OnShutdown());
        Always();
    }

    // A final frame is queued; what the client or the rooms still send is of no use now.
    private void Closing()
    {
        Receive<Tcp.Received>(_ => { });
        Receive<HeartbeatTick>(_ => { });
        Receive<HandshakeDeadline>(_ => { });
        Receive<ClientTransport.Shutdown>(_ => { });
        Always();
        ReceiveAny(_ => { });
    }

    // What every state handles the same way: acknowledged writes, frames from the rooms, the heartbeat,
    // the socket going away and member actors stopping.
    private void Always()
    {
        Receive<AckedWriter.Ack>(_ => _writer.OnAck());
        Receive<ClientTransport.Send>(s => Enqueue(s.Frame));
        Receive<HeartbeatTick>(_ => OnHeartbeat(ping: false));
        Receive<Tcp.CommandFailed>(f => { _log.Warning("Write to {Remote} failed: {Cmd}; closing", _remote, f.Cmd); Context.Stop(Self); });
        Receive<Tcp.ConnectionClosed>(c =>
        {
            _log.Info("Connection from {Remote} ({Name}) closed: {Reason}", _remote, _name, c is Tcp.ErrorClosed e ? e.Cause : c.GetType().Name);
            Context.Stop(Self);
        });
        Receive<Terminated>(t =>
        {
            if (t.ActorRef.Equals(_connection))
            {
                Context.Stop(Self);
                return;
            }
            // A member actor stopped (its room removed it): forget it.
            foreach (var room in _memberships.Where(kv => kv.Value.Equals(t.ActorRef)).Select(kv => kv.Key).ToList())
                _memberships.Remove(room);
        });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    protected override void PreStart()
    {
        Context.Watch(_connection);
        _writer.Attach(_connection);
        if (_refuse)
        {
            Fail(ErrorCodes.Overloaded, "the server is not taking connections now (full or shutting down); try again later", "refused at accept");
            return;
        }
        Enqueue(WireCodec.EncodeFrame(new ServerHello(ProtocolVersion.Current, _challenge)));
        Timers.StartSingleTimer("handshake", new HandshakeDeadline(), _settings.HandshakeTimeout);
        var tick = TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerSecond / 10, Math.Min(_settings.HeartbeatInterval.Ticks, _settings.IdleTimeout.Ticks) / 2));
        Timers.StartPeriodicTimer("heartbeat", new HeartbeatTick(), tick);
    }

    private static long NowTicks() => Environment.TickCount64 * TimeSpan.TicksPerMillisecond;

    // Quiet for a heartbeat interval: ping (a live client answers with a pong, which counts as heard).
    // Quiet for the idle timeout: the client or its network is gone; close so its name and memory free up.
    private void OnHeartbeat(bool ping)
    {
        var quiet = TimeSpan.FromTicks(NowTicks() - _lastHeardTicks);
        if (quiet >= _settings.IdleTimeout)
            Fail(ErrorCodes.IdleTimeout, $"nothing heard for {quiet.TotalSeconds:0} s", "idle timeout");
        else if (quiet >= _settings.HeartbeatInterval && ping)
            Enqueue(WireCodec.EncodeFrame(new Ping(++_pingNonce)));
    }

    private void OnReceived(ByteString data, Action<byte[]> handle)
    {
        _lastHeardTicks = NowTicks();
        var limit = _decoder.MaxFrameSize;
        var before = _member is null;
        var status = _decoder.Feed(data.ToReadOnlySpan(), _frames);
        if (!AccountFrameBuffer())
            return;
        // A handler may accept the hello or close: what follows then waits for the claim or is dropped.
        for (var i = 0; i < _frames.Count && !_writer.Closing; i++)
        {
            if (_member is not null && before)
            {
                // The hello was accepted in this read: the rest waits for the claim, ahead of anything stashed later.
                var held = HoldAfterHello(_frames.GetRange(i, _frames.Count - i));
                _frames.Clear();
                if (!held)
                    return;
                break;
            }
            handle(_frames[i]);
        }
        _frames.Clear();
        if (status != FrameDecodeStatus.Ok && !_writer.Closing)
        {
            var code = status == FrameDecodeStatus.TooLarge ? ErrorCodes.FrameTooLarge : ErrorCodes.BadFrame;
            var when = before ? " before hello" : "";
            Fail(code, $"frame rejected: {status} (maximum {limit} bytes{when})", $"framing: {status}{when}");
        }
    }

    private bool HoldAfterHello(List<byte[]> rest)
    {
        if (!Hold(rest.Count, rest.Sum(f => (long)f.Length)))
            return false;
        Stash.Prepend([new Akka.Actor.Envelope(new HeldFrames(rest), Self)]);
        return true;
    }

    private void HoldWhileClaiming(ByteString data)
    {
        _lastHeardTicks = NowTicks();
        if (Hold(1, data.Count))
            Stash.Stash();
    }

    // Claiming is short (one registry round trip) and an honest client waits for Welcome: whatever it
    // sends meanwhile is slack, bounded per connection and counted in the server-wide budget.
    private bool Hold(int reads, long bytes)
    {
        _heldReads += reads;
        _heldBytes += bytes;
        if (_heldReads > MaxHeldReadsWhileClaiming || _heldBytes > MaxHeldBytesWhileClaiming)
        {
            Fail(ErrorCodes.NotAuthenticated, $"wait for welcome before sending more (at most {MaxHeldBytesWhileClaiming} bytes may wait for it)",
                $"flooding before welcome: {_heldBytes} bytes in {_heldReads} reads");
            return false;
        }
        if (_budget is null || _budget.TryReserve(bytes))
        {
            _heldReserved += _budget is null ? 0 : bytes;
            return true;
        }
        Fail(ErrorCodes.Overloaded, "the server holds too many incomplete frames right now; try again later", "frame buffer budget exhausted while claiming");
        return false;
    }

    // What the decoder holds for an incomplete frame counts against the server-wide budget; a connection
    // that would go past it is closed, nobody else is affected.
    private bool AccountFrameBuffer()
    {
        if (_budget is null)
            return true;
        var held = (long)_decoder.BufferCapacity;
        if (held <= _budgetReserved)
        {
            _budget.Release(_budgetReserved - held);
            _budgetReserved = held;
            return true;
        }
        if (_budget.TryReserve(held - _budgetReserved))
        {
            _budgetReserved = held;
            return true;
        }
        _frames.Clear();
        Fail(ErrorCodes.Overloaded, "the server holds too many incomplete frames right now; try again later", "frame buffer budget exhausted");
        return false;
    }

    protected override void PostStop()
    {
        _budget?.Release(_budgetReserved + _heldReserved);
        _budgetReserved = 0;
        _heldReserved = 0;
    }

    private void OnFrameBeforeHello(byte[] payload)
    {
        if (!WireCodec.TryDecode(payload, out var message, out var error))
            Fail(ErrorCodes.BadFrame, $"malformed message: {error}", $"malformed message: {error}");
        else if (message is Hello hello)
            OnHello(hello);
        else
            Fail(ErrorCodes.NotAuthenticated, "say hello first", $"{message.GetType().Name} before hello");
    }

    private void HandleFrame(byte[] payload)
    {
        if (!WireCodec.TryDecode(payload, out var message, out var error))
        {
            Fail(ErrorCodes.BadFrame, $"malformed message: {error}", $"malformed message: {error}");
            return;
        }

        switch (message)
        {
            case JoinRoom join: OnJoinRoom(join.Room); break;
            case LeaveRoom leave: OnLeaveRoom(leave.Room); break;
            // Stopping: not taken, not refused; the client sends it again wherever it reconnects.
            case Envelope when _shuttingDown: break;
            case Envelope envelope: OnEnvelope(envelope); break;
            case Ping ping: Enqueue(WireCodec.EncodeFrame(new Pong(ping.Nonce))); break;
            case Pong: break;
            case Goodbye: OnGoodbye(); break;
            case StoredAck ack: _store?.Tell(new ServerStore.Delete(_name, ack.Seq)); break;
            // Only usable keys are kept: a low-order one-time prekey would be handed to an initiator.
            case PublishPrekeys publish:
                _store?.Tell(new ServerStore.PublishPrekeys(_name, _member!.Identity.SigningKey,
                    publish.Prekeys.Where(p => PublicKeyCheck.IsUsableX25519(p.PublicKey)).ToList()));
                break;
            case FetchPrekey fetch: OnFetchPrekey(fetch.Name); break;
            default:
                Fail(ErrorCodes.BadFrame, $"unexpected {message.GetType().Name} from a client", $"unexpected {message.GetType().Name}");
                break;
        }
    }

    private void OnHello(Hello hello)
    {
        if (hello.Version != ProtocolVersion.Current)
        {
            Fail(ErrorCodes.UnsupportedVersion, $"protocol version {hello.Version} is not supported; this server speaks {ProtocolVersion.Current}", $"version {hello.Version}");
            return;
        }
        if (NameProfile.Problem(hello.Name) is { } problem)
        {
            Fail(ErrorCodes.InvalidName, problem, "invalid name");
            return;
        }
        // Signed is not enough: a correctly signed low-order key would reach every peer through the room.
        // Checked first, so the refusal names the key rather than calling the signatures bad.
        if (PublicKeyCheck.Problem(hello.Identity) is { } badKey)
        {
            Fail(ErrorCodes.BadHello, $"refused: {badKey}", $"bad key in hello: {badKey}");
            return;
        }
        // Proof of who owns the name: the keys are bound to each other and the challenge is signed.
        // This is the only cryptography on the server; it decrypts nothing.
        if (!IdentitySignatures.VerifyBundle(hello.Identity) ||
            !IdentitySignatures.VerifyHello(hello.Identity.SigningKey, _challenge, hello.Name, hello.ChallengeSignature))
        {
            Fail(ErrorCodes.BadHello, "identity signatures do not verify", "bad signatures in hello");
            return;
        }
        _name = hello.Name;
        _member = new MemberInfo(hello.Name, hello.Identity);
        _decoder.MaxFrameSize = _settings.MaxFrameSize;
        Become(Claiming);
        _names.Tell(new NameRegistry.Claim(hello.Name, hello.Identity.SigningKey, Self));
    }

    private void OnReplaced(NameRegistry.Replaced r) =>
        Fail(ErrorCodes.Replaced, $"{r.Name} connected again from elsewhere; this older connection is closed", "replaced by a newer connection");

    private void OnClaimed(NameRegistry.Claimed claimed)
    {
        Become(Serving);
        Timers.Cancel("handshake");
        // Only now that the name is ours, and before any room shows us to peers who could fetch a prekey:
        // a previous holder's prekeys would start sessions this identity cannot read.
        // The store runs a name's prekey calls in order, so this comes before any fetch for it.
        _store?.Tell(new ServerStore.BindPrekeys(_name, _member!.Identity.SigningKey));
        _log.Info("{Name} connected from {Remote}", _name, _remote);
        Enqueue(WireCodec.EncodeFrame(new Welcome(claimed.Name)));
        // What waited is handled now, in the order it arrived, before anything that comes later.
        _budget?.Release(_heldReserved);
        _heldReserved = 0;
        Stash.UnstashAll();
    }

    // Each join starts or wakes a room actor and each leave may leave one idle: both are rate-limited.
    private bool JoinOrLeaveAllowed(string room)
    {
        if (_joinRate.TryTake(NowTicks()))
            return true;
        Enqueue(WireCodec.EncodeFrame(new ErrorMessage(ErrorCodes.RateLimited,
            $"slow down: at most {_settings.JoinsPerSecond:0.#} joins and leaves per second; {room} was not joined or left")));
        return false;
    }

    private void OnJoinRoom(string room)
    {
        if (!JoinOrLeaveAllowed(room))
            return;
        if (NameProfile.Problem(room, room: true) is { } problem)
        {
            Enqueue(WireCodec.EncodeFrame(new ErrorMessage(ErrorCodes.InvalidRoom, problem)));
            return;
        }
        if (!_memberships.ContainsKey(room) && _memberships.Count >= _settings.MaxRoomsPerClient)
        {
            Enqueue(WireCodec.EncodeFrame(new ErrorMessage(ErrorCodes.TooManyRooms, $"you are in {_memberships.Count} rooms, the most this server allows; leave one first")));
            return;
        }
        _rooms.Tell(new Room.Join(room, _member!, Self));
    }

    private void OnJoined(Room.Joined joined)
    {
        _memberships[joined.Room] = joined.Member;
        Context.Watch(joined.Member);
        Enqueue(WireCodec.EncodeFrame(new RoomJoined(joined.Room, joined.Members)));
    }

    private void OnLeaveRoom(string room)
    {
        if (!JoinOrLeaveAllowed(room))
            return;
        if (_memberships.Remove(room, out var member))
        {
            Context.Unwatch(member);
            member.Tell(new Member.Leave());
        }
        else
        {
            Enqueue(WireCodec.EncodeFrame(new ErrorMessage(ErrorCodes.NotInRoom, $"you are not in room {room}")));
        }
    }

    // Handing out a prekey uses it up for good, so asking counts against the rate limit like an envelope.
    private void OnFetchPrekey(string name)
    {
        if (!_rate.TryTake(NowTicks()) || !Names.IsValidName(name) || _store is null)
        {
            Enqueue(WireCodec.EncodeFrame(new PrekeyFor(name, [])));
            return;
        }
        _store.Ask<ServerStore.PrekeyTaken>(new ServerStore.TakePrekey(name), _settings.StoreAnswerTimeout)
            .PipeTo(Self, failure: _ => new ServerStore.PrekeyTaken(name, null));
    }

    private void OnPrekeyTaken(ServerStore.PrekeyTaken taken) =>
        Enqueue(WireCodec.EncodeFrame(new PrekeyFor(taken.Name, taken.Prekey is { } prekey ? [prekey] : [])));

    private void OnEnvelope(Envelope envelope)
    {
        var now = NowTicks();
        if (!_rate.TryTake(now))
        {
            // Refused, and said so at most once a second: the error must not become a flood of its own.
            _rateLimited++;
            if (now - _lastRateNoticeTicks >= TimeSpan.TicksPerSecond)
            {
                _lastRateNoticeTicks = now;
                _log.Warning("{Name} is over the rate limit ({Refused} envelopes refused so far)", _name, _rateLimited);
                Enqueue(WireCodec.EncodeFrame(new ErrorMessage(ErrorCodes.RateLimited,
                    $"slow down: at most {_settings.EnvelopesPerSecond:0} envelopes per second; envelope {envelope.Id} and others were not delivered")));
            }
            return;
        }
        if (_memberships.TryGetValue(envelope.Room, out var member))
            member.Tell(new Member.Publish(envelope));
        else
            Enqueue(WireCodec.EncodeFrame(new EnvelopeRefused(envelope.Id, ErrorCodes.NotInRoom, $"join room {envelope.Room} before sending to it")));
    }

    // The server is stopping. First the client becomes away in each room, so whatever is routed to it
    // from now on is kept for it (here or in the shared store) instead of being written to a connection
    // about to close; once every room confirms, what they sent before is in this mailbox, queued ahead
    // of the shutdown notice.
    private void OnShutdown()
    {
        if (_memberships.Count == 0)
        {
            MaybeCloseForShutdown();
            return;
        }
        _shuttingDown = true;
        foreach (var (room, member) in _memberships)
        {
            _drainsPending.Add(room);
            member.Tell(new Member.Away(Self));
        }
    }

    private void FailForShutdown() =>
        Fail(ErrorCodes.ServerShutdown, "the server is shutting down; reconnect later or to another server", "server shutdown");

    private void MaybeCloseForShutdown()
    {
        if (_drainsPending.Count == 0)
            FailForShutdown();
    }

    // Goodbye is answered only after every room has routed what this client sent before it, so a
    // client that exits on GoodbyeAck knows its last messages are on their way.
    private void OnGoodbye()
    {
        _goodbyeRequested = true;
        foreach (var (room, member) in _memberships)
        {
            _drainsPending.Add(room);
            member.Tell(new Member.Drain(Self));
        }
        MaybeSayGoodbye();
    }

    private void MaybeSayGoodbye()
    {
        if (!_goodbyeRequested || _drainsPending.Count > 0 || _writer.Closing)
            return;
        Enqueue(WireCodec.EncodeFrame(new GoodbyeAck()));
        Become(Closing);
        _writer.CloseWhenDrained();
    }

    private void Enqueue(byte[] frame)
    {
        if (_writer.TryEnqueue(frame))
            return;
        _log.Warning("{Name} at {Remote} is too slow: {Queued} bytes queued (limit {Limit}); disconnecting",
            _name, _remote, _writer.QueuedBytes, _writer.MaxQueueBytes);
        _connection.Tell(Tcp.Abort.Instance);
        Context.Stop(Self);
    }

    /// <summary>Tells the client why (one error frame), logs it, and closes once that frame is written.</summary>
    private void Fail(string code, string message, string logReason)
    {
        if (_writer.Closing)
            return;
        _log.Warning("Closing connection from {Remote} ({Name}): {Reason}", _remote, _name, logReason);
        Enqueue(WireCodec.EncodeFrame(new ErrorMessage(code, message)));
        Become(Closing);
        _writer.CloseWhenDrained();
    }
}
