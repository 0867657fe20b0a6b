using Akka.Actor;
using Akka.Event;
using Entice.Wire;
using Entice.Client.Keys;
using Entice.Client.Messages;
using Entice.Transport;

namespace Entice.Client;

/// <summary>
/// States:
///   Starting     -> own identity from the crypto actor, then a connection
///   Handshaking  -> ServerHello -> (crypto signs) -> Hello -> Welcome -> JoinRoom (the first time)
///   Online       -> chatting; lines typed before the first room's roster was complete (present and
///                   away members, see ChatClientActor.Rooms.cs) waited in order and go now
///   Offline      -> the connection dropped after the first join: reconnect with backoff and jitter,
///                   rejoin every room, then send again everything the server has not acknowledged
///                   (typed meanwhile, or in flight when the connection dropped)
///   Draining     -> input ended: once every encryption is answered and every envelope acknowledged,
///                   Goodbye; on GoodbyeAck exit 0 if every line reached every recipient, else 1; 1 if
///                   the drain timeout passes first
/// Before the first join, failures end the client (exit 2: unreachable, 1: refused). After it, the
/// client keeps trying until the user quits. Whatever the relay sends, nothing here throws on it: an
/// odd roster, an unknown member or an envelope for a room we are not in is at most an error event.
/// Split by concern: Rooms (joins, rosters, reconnects), Sending (fragments, pacing, the outbox),
/// Receiving (decryption answers, order, long messages).
/// </summary>
internal sealed partial class ChatClientActor : ReceiveActor, IWithTimers
{
    private sealed record DrainTimedOut;

    private sealed record ReconnectNow;

    private sealed record ResendTick;

    private readonly ClientSettings _settings;
    private readonly IActorRef _crypto;
    private readonly IActorRef _view;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly DisplayOrder _display = new();
    private readonly Backoff _backoff;
    private readonly HashSet<string> _verifiedShown = new(StringComparer.Ordinal);
    private IActorRef _connection = ActorRefs.Nobody;
    private CryptoAgent.IdentityInfo? _identity;
    private string _server = "";
    private int _serverIndex;
    private int _generation;
    private bool _everJoined;
    private bool _online;
    private string _currentRoom;
    private bool _inputEnded;
    private bool _goodbyeSent;
    private bool _stopped;
    private StoppedEvent? _stopping;

    public ChatClientActor(ClientSettings settings, IActorRef crypto, IActorRef view)
    {
        _settings = settings;
        _crypto = crypto;
        _view = view;
        _currentRoom = settings.Room;
        _backoff = new Backoff(settings.ReconnectInitial, settings.ReconnectMax);
        _pacer = new Pacer<WireMessage>(settings.PacingPerSecond, Math.Max(1, settings.PacingBurst));
        _frameLimit = settings.MaxFrameSize;
        _inbox = new Inbox<Arrival>(settings.ReorderWait.Ticks);
        _reassembly = new Reassembly(settings.MaxMessageBytes);

        Receive<CryptoAgent.IdentityInfo>(info =>
        {
            var first = _identity is null;
            _identity = info;
            if (first)
                Connect();
        });
        Receive<ServerConnection.Connected>(c => Sender.Equals(_connection), c =>
        {
            _server = c.Server is System.Net.IPEndPoint ip && ip.Address.IsIPv4MappedToIPv6
                ? new System.Net.IPEndPoint(ip.Address.MapToIPv4(), ip.Port).ToString()
                : c.Server.ToString() ?? "";
            _serverIndex = c.ServerIndex;
            _log.Info("Connected to {Server}", c.Server);
        });
        Receive<ServerConnection.ConnectFailed>(f => Sender.Equals(_connection), f => ConnectionLost(f.Reason, ErrorCodes.ServerUnreachable));
        Receive<ServerConnection.Disconnected>(d => Sender.Equals(_connection), d => ConnectionLost(d.Reason, ErrorCodes.Disconnected));
        Receive<ServerConnection.Received>(r => Sender.Equals(_connection), r => OnServerMessage(r.Message));
        // The connection actor failed (and was stopped, see SupervisorStrategy): as if the connection dropped.
        Receive<Terminated>(t => t.ActorRef.Equals(_connection), _ => ConnectionLost("the connection actor failed", ErrorCodes.Disconnected));
        Receive<Terminated>(_ => { });
        Receive<ReconnectNow>(_ => Connect());
        Receive<ResendTick>(_ => OnResendTick());
        Receive<PaceTick>(_ => Pump());
        Receive<InboxTick>(_ => OnInboxTick());
        Receive<CryptoAgent.HelloSigned>(h => _connection.Tell(new ServerConnection.Send(
            new Hello(ProtocolVersion.Current, _settings.Name, _identity!.Bundle, h.Signature))));
        Receive<CryptoAgent.PeerObserved>(OnPeerObserved);
        // Asked for at every Welcome, and offered unasked when the batch runs low.
        Receive<CryptoAgent.PrekeysToPublish>(p => _connection.Tell(new ServerConnection.Send(new PublishPrekeys(p.Prekeys))));
        Receive<CryptoAgent.Encrypted>(OnEncrypted);
        Receive<CryptoAgent.EncryptRefused>(r =>
        {
            EnvelopeSettled(r.EnvelopeId, taken: false, r.Reason);
            CryptoAnswered();
            Show(new ErrorEvent(r.Code, r.Reason));
        });
        Receive<CryptoAgent.Decrypted>(OnDecrypted);
        Receive<CryptoAgent.DecryptRejected>(OnDecryptRejected);
        Receive<CryptoAgent.DecryptHeld>(h => ShowAnswer(h.Ticket, []));
        Receive<CryptoAgent.SafetyNumberComputed>(s => Show(new SafetyNumberEvent(s.Peer, s.Digits)));
        Receive<CryptoAgent.TrustAccepted>(t => Show(new TrustedEvent(t.Peer)));
        Receive<CryptoAgent.VerificationRecorded>(v => Show(new VerifiedEvent(v.Peer)));
        Receive<CryptoAgent.VerificationRefused>(v => Show(new ErrorEvent(ErrorCodes.UntrustedKey, v.Reason)));
        Receive<ChatClient.UserLine>(l => OnCommand(UserCommand.Parse(l.Line), l.Room, l.Tag));
        Receive<ChatClient.EndOfInput>(_ => OnCommand(new UserCommand.Quit(), null, null));
        Receive<DrainTimedOut>(_ => Stop(1, ErrorCodes.Disconnected,
            $"gave up after {_settings.DrainTimeout.TotalSeconds:0} s: {_outbox.Count} envelope(s) could not be delivered to the server"));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    protected override void PreStart()
    {
        _crypto.Tell(new CryptoAgent.GetIdentity());
        Timers.StartPeriodicTimer("resend", new ResendTick(), _settings.ResendAfter);
        Timers.StartPeriodicTimer("inbox", new InboxTick(), TimeSpan.FromMilliseconds(500));
    }

    // A connection actor that throws is stopped, never restarted: the chat actor sees it terminate and
    // reconnects with a fresh one, as after any dropped connection.
    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(_ => Directive.Stop);

    private static long Now() => Environment.TickCount64 * TimeSpan.TicksPerMillisecond;

    private void Connect()
    {
        var firstServer = _everJoined ? _serverIndex + _backoff.Attempt : 0;
        _connection = Context.ActorOf(ServerConnection.Props(_settings, Self, firstServer), $"connection-{++_generation}");
        Context.Watch(_connection);
    }

    private void ConnectionLost(string reason, string code)
    {
        if (_stopped)
            return;
        if (!_everJoined)
        {
            Stop(2, code, reason);
            return;
        }
        Context.Unwatch(_connection);
        _online = false;
        _rejoining.Clear();
        _rejoinBefore.Clear();
        _barriers.Clear();
        _pacer.Clear();
        _outbox.Unqueue();
        GiveUpPoison();
        _connection = ActorRefs.Nobody;
        var delay = _backoff.Next();
        Show(new DisconnectedEvent(reason, delay));
        Timers.StartSingleTimer("reconnect", new ReconnectNow(), delay);
    }

    private void OnServerMessage(WireMessage message)
    {
        switch (message)
        {
            case ServerHello hello when hello.Version == ProtocolVersion.Current:
                // The bundle is asked for again on every connection: a signed prekey rotated during a
                // long run reaches the server at the next reconnect (answers come in order).
                if (_everJoined)
                    _crypto.Tell(new CryptoAgent.GetIdentity());
                _crypto.Tell(new CryptoAgent.SignHello(hello.Challenge));
                break;
            case ServerHello hello:
                Stop(1, ErrorCodes.UnsupportedVersion, $"the server speaks protocol {hello.Version}; this client speaks {ProtocolVersion.Current}");
                break;
            case Welcome:
                OnWelcome();
                break;
            case RoomJoined joined:
                OnRoomJoined(joined);
                break;
            case RoomLeft left when _roster.IsIn(left.Room):
                _roster.Leave(left.Room);
                Show(new RoomExitedEvent(left.Room));
                break;
            case MemberJoined joined:
                OnMemberJoined(joined);
                break;
            case MemberLeft left when _roster.TryGet(left.Room, left.Name, out _):
                _roster.Remove(left.Room, left.Name);
                Show(new MemberLeftEvent(left.Room, left.Name));
                break;
            case MemberAway away:
                OnMemberAway(away);
                break;
            case Envelope envelope:
                OnEnvelope(envelope, storedSeq: null);
                break;
            case StoredEnvelope stored:
                OnEnvelope(stored.Envelope, stored.Seq);
                break;
            case EnvelopeAck ack:
                if (_outbox.Acknowledge(ack.Id))
                    EnvelopeSettled(ack.Id, taken: true);
                MaybeSayGoodbye();
                break;
            case EnvelopeRefused refused when refused.Code == ErrorCodes.NoSuchMember:
                _outbox.MarkRefused(refused.Id, Now()); // they may be back in a moment: wait for them
                break;
            case EnvelopeRefused refused:
                if (_outbox.Acknowledge(refused.Id))
                    EnvelopeSettled(refused.Id, taken: false, $"not delivered: {refused.Message}");
                Show(new ErrorEvent(refused.Code, $"not delivered: {refused.Message}"));
                MaybeSayGoodbye();
                break;
            case GoodbyeAck when _goodbyeSent:
                if (_sending.Failed > 0)
                    Stop(1, ErrorCodes.NotDelivered, $"{_sending.Failed} message(s) did not reach every recipient; the first: {_sending.FirstFailure}");
                else
                    Stop(0, null, "done");
                break;
            case ErrorMessage error when !_everJoined:
                Stop(ErrorCodes.IsNameRefusal(error.Code) ? 2 : 1, error.Code, error.Message);
                break;
            case ErrorMessage error when error.Code is ErrorCodes.FrameTooLarge or ErrorCodes.BadFrame:
                OnFrameRefused(error);
                break;
            case ErrorMessage error:
                Show(new ErrorEvent(error.Code, error.Message));
                break;
            case Ping ping:
                _connection.Tell(new ServerConnection.Send(new Pong(ping.Nonce)));
                break;
            case Pong pong:
                OnPong(pong);
                break;
            case PrekeyFor given when given.Prekeys.Count > 0 && Names.IsValidName(given.Name):
                _crypto.Tell(new CryptoAgent.ProvidePrekey(given.Name, given.Prekeys[0]));
                break;
        }
    }

    private void OnPeerObserved(CryptoAgent.PeerObserved observed)
    {
        if (observed.Verified && _verifiedShown.Add(observed.Name))
            Show(new VerifiedEvent(observed.Name));
        if (observed.NeedsSession)
            Transmit(new FetchPrekey(observed.Name));
        if (observed.Status == PeerKeyStatus.Changed)
            Show(new KeyChangedEvent(observed.Name));
        else if (observed.Status == PeerKeyStatus.Invalid)
            Show(new ErrorEvent(ErrorCodes.UntrustedKey, $"the server announced keys for {observed.Name} that do not verify; nothing will be sent to them"));
    }

    private void OnCommand(UserCommand command, string? room, string? tag)
    {
        if (command is UserCommand.Quit && !_inputEnded)
        {
            _inputEnded = true;
            Timers.StartSingleTimer("drain", new DrainTimedOut(), _settings.DrainTimeout);
        }
        if (!_rosterReady)
        {
            if (command is not UserCommand.Quit and not UserCommand.Nothing)
                _waitingForRoom.Enqueue((command, room, tag));
            return;
        }
        Execute(command, room, tag);
    }

    private void Execute(UserCommand command, string? selectedRoom, string? tag = null)
    {
        var room = selectedRoom ?? _currentRoom;
        switch (command)
        {
            case UserCommand.Say say:
                Say(room, say.Text, tag);
                break;
            case UserCommand.Direct dm:
                SendDirect(room, dm, tag);
                break;
            case UserCommand.Who:
                Show(new MembersEvent(room, _roster.Present(room).Select(m => m.Name).Append(_settings.Name).Order(StringComparer.Ordinal).ToList()));
                break;
            case UserCommand.Verify v when _roster.FindPeer(v.Peer, room) is var (_, peer):
                _crypto.Tell(new CryptoAgent.ComputeSafetyNumber(peer));
                break;
            case UserCommand.Trust t when _roster.FindPeer(t.Peer, room) is var (_, peer):
                _crypto.Tell(new CryptoAgent.Trust(peer));
                break;
            case UserCommand.MarkVerified mv when _roster.FindPeer(mv.Peer, room) is var (_, peer):
                _crypto.Tell(new CryptoAgent.MarkVerified(peer));
                break;
            case UserCommand.Verify or UserCommand.Trust or UserCommand.MarkVerified:
                Show(new ErrorEvent(ErrorCodes.NoSuchMember, "that person is not in any room you are in"));
                break;
            case UserCommand.Join or UserCommand.Leave when !_online:
                Show(new ErrorEvent(ErrorCodes.Disconnected, "not connected to the server right now; try again once reconnected"));
                break;
            case UserCommand.Join join when !Names.IsValidRoom(join.Room):
                Show(new ErrorEvent(ErrorCodes.InvalidRoom, "room names are 1-64 letters, digits, '_', '-', '.' or '#'"));
                break;
            case UserCommand.Join join when _roster.IsIn(join.Room):
                _currentRoom = join.Room;
                Show(new RoomEnteredEvent(join.Room));
                break;
            case UserCommand.Join join:
                _connection.Tell(new ServerConnection.Send(new JoinRoom(join.Room)));
                break;
            case UserCommand.Leave leave:
                var leaving = leave.Room ?? room;
                if (_roster.IsIn(leaving))
                    _connection.Tell(new ServerConnection.Send(new LeaveRoom(leaving)));
                else
                    Show(new ErrorEvent(ErrorCodes.NotInRoom, $"you are not in room {leaving}"));
                if (leaving == _currentRoom)
                    _currentRoom = _roster.Rooms.FirstOrDefault(r => r != leaving) ?? _currentRoom;
                break;
            case UserCommand.Invalid invalid:
                Show(new ErrorEvent(ErrorCodes.UnknownCommand, invalid.Usage));
                break;
            case UserCommand.Quit:
                MaybeSayGoodbye();
                break;
        }
    }

    private void Stop(int exitCode, string? code, string reason)
    {
        if (_stopped)
            return;
        _stopped = true;
        if (code is not null)
            Show(new ErrorEvent(code, reason));
        _connection.Tell(new ServerConnection.Close());
        _stopping = new StoppedEvent(exitCode, reason);
        FinishStopping();
    }

    // Messages still being decrypted when the client stops are shown first: the crypto actor answers
    // every request, so this waits only for answers already on their way.
    private void FinishStopping()
    {
        if (_stopping is null || _display.HasPending)
            return;
        _view.Tell(_stopping);
        _stopping = null;
        Context.Stop(Self);
    }

    private void Show(ChatEvent e)
    {
        if (_stopped && e is not ErrorEvent)
            return;
        _display.Add(e);
        foreach (var ready in _display.TakeReady())
            _view.Tell(ready);
    }

    // A decryption answer fills the place its envelope had in the server's order; answers for messages
    // released later (after /trust) have no place left and show at once.
    private void ShowAnswer(ulong ticket, IReadOnlyList<ChatEvent> events)
    {
        if (_display.Fill(ticket, events))
        {
            foreach (var ready in _display.TakeReady())
                _view.Tell(ready);
            FinishStopping();
        }
        else
        {
            foreach (var e in events)
                Show(e);
        }
    }
}
