using Akka.Actor;
using Akka.Event;
using Entice.Wire;

namespace Entice.Client;

/// <summary>
/// States:
///   Starting    -> fetch own identity from the crypto actor, then open the connection
///   Connecting  -> ServerHello -> (crypto signs) -> Hello -> Welcome -> JoinRoom
///   InRoom      -> chatting; lines typed before this point waited in order and go now
///   Draining    -> input ended: once every encryption is answered, Goodbye; exit on GoodbyeAck
/// Failures before InRoom (unreachable, name taken, refused hello) end the client with exit code 1 or 2.
/// </summary>
internal sealed class ChatClientActor : ReceiveActor, IWithTimers
{
    private sealed record DrainTimedOut;

    private readonly ClientSettings _settings;
    private readonly IActorRef _crypto;
    private readonly IActorRef _view;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly RoomRoster _roster = new();
    private readonly Queue<(UserCommand Command, string? Room)> _waitingForRoom = new();
    private readonly DisplayOrder _display = new();
    private IActorRef _connection = ActorRefs.Nobody;
    private CryptoAgent.IdentityInfo? _identity;
    private bool _inRoom;
    private string _currentRoom;
    private bool _inputEnded;
    private bool _goodbyeSent;
    private bool _stopped;
    private StoppedEvent? _stopping;
    private int _outstandingCrypto;
    private ulong _nextEnvelopeId = (ulong)Random.Shared.NextInt64(1, long.MaxValue / 2);

    public ChatClientActor(ClientSettings settings, IActorRef crypto, IActorRef view)
    {
        _settings = settings;
        _crypto = crypto;
        _view = view;
        _currentRoom = settings.Room;

        Receive<CryptoAgent.IdentityInfo>(info =>
        {
            _identity = info;
            _connection = Context.ActorOf(ServerConnection.Props(_settings, Self), "connection");
        });
        Receive<ServerConnection.Connected>(c => _log.Info("Connected to {Server}", c.Server));
        Receive<ServerConnection.ConnectFailed>(f => Stop(2, ErrorCodes.ServerUnreachable, f.Reason));
        Receive<ServerConnection.Disconnected>(OnDisconnected);
        Receive<ServerConnection.Received>(r => OnServerMessage(r.Message));
        Receive<CryptoAgent.HelloSigned>(h => _connection.Tell(new ServerConnection.Send(
            new Hello(ProtocolVersion.Current, _settings.Name, _identity!.Bundle, h.Signature))));
        Receive<CryptoAgent.PeerObserved>(OnPeerObserved);
        Receive<CryptoAgent.Encrypted>(e =>
        {
            _connection.Tell(new ServerConnection.Send(e.Envelope));
            CryptoAnswered(); // after the send: the last answer may trigger Goodbye, which must follow it
        });
        Receive<CryptoAgent.EncryptRefused>(r => { CryptoAnswered(); Show(new ErrorEvent(r.Code, r.Reason)); });
        Receive<CryptoAgent.Decrypted>(d => ShowAnswer(d.Ticket, new MessageEvent(d.Room, d.From, d.Plaintext.Text, d.Direct,
            DateTimeOffset.FromUnixTimeMilliseconds(d.Plaintext.SentAtUnixMs))));
        Receive<CryptoAgent.DecryptRejected>(r => ShowAnswer(r.Ticket, new ErrorEvent(r.Code, r.Reason)));
        Receive<CryptoAgent.DecryptHeld>(h => ShowAnswer(h.Ticket, null));
        Receive<CryptoAgent.SafetyNumberComputed>(s => Show(new SafetyNumberEvent(s.Peer, s.Digits)));
        Receive<CryptoAgent.TrustAccepted>(t => Show(new TrustedEvent(t.Peer)));
        Receive<ChatClient.UserLine>(l => OnCommand(UserCommand.Parse(l.Line), l.Room));
        Receive<ChatClient.EndOfInput>(_ => OnCommand(new UserCommand.Quit(), null));
        Receive<DrainTimedOut>(_ => Stop(1, ErrorCodes.Disconnected, "timed out delivering pending messages to the server"));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    protected override void PreStart() => _crypto.Tell(new CryptoAgent.GetIdentity());

    private void OnServerMessage(WireMessage message)
    {
        switch (message)
        {
            case ServerHello hello when hello.Version == ProtocolVersion.Current:
                _crypto.Tell(new CryptoAgent.SignHello(hello.Challenge));
                break;
            case ServerHello hello:
                Stop(1, ErrorCodes.UnsupportedVersion, $"the server speaks protocol {hello.Version}; this client speaks {ProtocolVersion.Current}");
                break;
            case Welcome:
                _connection.Tell(new ServerConnection.Send(new JoinRoom(_settings.Room)));
                break;
            case RoomJoined joined:
                OnRoomJoined(joined);
                break;
            case RoomLeft left:
                _roster.Leave(left.Room);
                Show(new RoomExitedEvent(left.Room));
                break;
            case MemberJoined joined:
                _roster.Add(joined.Room, joined.Member);
                _crypto.Tell(new CryptoAgent.ObservePeer(joined.Member));
                Show(new MemberJoinedEvent(joined.Room, joined.Member.Name));
                break;
            case MemberLeft left:
                _roster.Remove(left.Room, left.Name);
                Show(new MemberLeftEvent(left.Room, left.Name));
                break;
            case Envelope envelope:
                OnEnvelope(envelope);
                break;
            case GoodbyeAck:
                Stop(0, null, "done");
                break;
            case ErrorMessage error:
                OnServerError(error);
                break;
            case Ping ping:
                _connection.Tell(new ServerConnection.Send(new Pong(ping.Nonce)));
                break;
        }
    }

    private void OnRoomJoined(RoomJoined joined)
    {
        _roster.Enter(joined.Room, joined.Members);
        _currentRoom = joined.Room;
        if (_inRoom)
        {
            Show(new RoomEnteredEvent(joined.Room));
        }
        else
        {
            _inRoom = true;
            Show(new ReadyEvent(_settings.Name, joined.Room, _identity!.Fingerprint));
        }
        foreach (var m in joined.Members)
        {
            _crypto.Tell(new CryptoAgent.ObservePeer(m));
            Show(new MemberJoinedEvent(joined.Room, m.Name));
        }
        while (_waitingForRoom.Count > 0)
        {
            var (command, room) = _waitingForRoom.Dequeue();
            Execute(command, room);
        }
        MaybeSayGoodbye();
    }

    private void OnPeerObserved(CryptoAgent.PeerObserved observed)
    {
        if (observed.Status == PeerKeyStatus.Changed)
            Show(new KeyChangedEvent(observed.Name));
        else if (observed.Status == PeerKeyStatus.Invalid)
            Show(new ErrorEvent(ErrorCodes.UntrustedKey, $"the server announced keys for {observed.Name} that do not verify; nothing will be sent to them"));
    }

    private void OnEnvelope(Envelope envelope)
    {
        if (!_roster.TryGet(envelope.Room, envelope.Sender, out var sender))
        {
            Show(new ErrorEvent(ErrorCodes.DecryptFailed, $"a message from {envelope.Sender}, who is not in the room, was ignored"));
            return;
        }
        _crypto.Tell(new CryptoAgent.Decrypt(envelope, sender, _display.Reserve()));
    }

    private void OnServerError(ErrorMessage error)
    {
        if (!_inRoom)
        {
            Stop(1, error.Code, error.Message);
            return;
        }
        Show(new ErrorEvent(error.Code, error.Message));
    }

    private void OnCommand(UserCommand command, string? room)
    {
        if (command is UserCommand.Quit)
            _inputEnded = true;
        if (!_inRoom)
        {
            if (command is not UserCommand.Quit and not UserCommand.Nothing)
                _waitingForRoom.Enqueue((command, room));
            return;
        }
        Execute(command, room);
    }

    private void Execute(UserCommand command, string? selectedRoom)
    {
        var room = selectedRoom ?? _currentRoom;
        switch (command)
        {
            case UserCommand.Say when !_roster.IsIn(room):
                Show(new ErrorEvent(ErrorCodes.NotInRoom, $"you are not in room {room}; /join {room} first"));
                break;
            case UserCommand.Say say:
                foreach (var member in _roster.Members(room))
                    EncryptFor(room, member, say.Text, direct: false);
                break;
            case UserCommand.Direct dm when _roster.FindPeer(dm.To, room) is var (dmRoom, member):
                EncryptFor(dmRoom, member, dm.Text, direct: true);
                break;
            case UserCommand.Direct dm:
                Show(new ErrorEvent(ErrorCodes.NoSuchMember, $"{dm.To} is not in any room you are in; message not sent"));
                break;
            case UserCommand.Who:
                Show(new MembersEvent(room, _roster.Members(room).Select(m => m.Name).Append(_settings.Name).Order(StringComparer.Ordinal).ToList()));
                break;
            case UserCommand.Verify v when _roster.FindPeer(v.Peer, room) is var (_, peer):
                _crypto.Tell(new CryptoAgent.ComputeSafetyNumber(peer));
                break;
            case UserCommand.Trust t when _roster.FindPeer(t.Peer, room) is var (_, peer):
                _crypto.Tell(new CryptoAgent.Trust(peer));
                break;
            case UserCommand.Verify or UserCommand.Trust:
                Show(new ErrorEvent(ErrorCodes.NoSuchMember, "that person is not in any room you are in"));
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

    private void EncryptFor(string room, MemberInfo member, string text, bool direct)
    {
        _outstandingCrypto++;
        _crypto.Tell(new CryptoAgent.Encrypt(member, room, direct, text, _nextEnvelopeId++));
    }

    private void CryptoAnswered()
    {
        _outstandingCrypto--;
        MaybeSayGoodbye();
    }

    // Goodbye goes after the last envelope on the same connection; the server answers only once the
    // room routed everything before it, so GoodbyeAck means "your messages are on their way".
    private void MaybeSayGoodbye()
    {
        if (!_inputEnded || !_inRoom || _goodbyeSent || _outstandingCrypto > 0)
            return;
        _goodbyeSent = true;
        _connection.Tell(new ServerConnection.Send(new Goodbye()));
        Timers.StartSingleTimer("drain", new DrainTimedOut(), _settings.DrainTimeout);
    }

    private void OnDisconnected(ServerConnection.Disconnected d)
    {
        if (_goodbyeSent && d.Requested)
            Stop(0, null, "done");
        else
            Stop(_inRoom ? 3 : 2, ErrorCodes.Disconnected, d.Reason);
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
    private void ShowAnswer(ulong ticket, ChatEvent? e)
    {
        if (_display.Fill(ticket, e))
        {
            foreach (var ready in _display.TakeReady())
                _view.Tell(ready);
            FinishStopping();
        }
        else if (e is not null)
        {
            Show(e);
        }
    }
}
