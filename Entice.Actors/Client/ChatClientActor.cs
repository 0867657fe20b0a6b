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
    private readonly Dictionary<string, MemberInfo> _members = new(StringComparer.Ordinal);
    private readonly Queue<UserCommand> _waitingForRoom = new();
    private readonly DisplayOrder _display = new();
    private IActorRef _connection = ActorRefs.Nobody;
    private CryptoAgent.IdentityInfo? _identity;
    private bool _inRoom;
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
        Receive<ChatClient.UserLine>(l => OnCommand(UserCommand.Parse(l.Line)));
        Receive<ChatClient.EndOfInput>(_ => OnCommand(new UserCommand.Quit()));
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
            case MemberJoined joined:
                _members[joined.Member.Name] = joined.Member;
                _crypto.Tell(new CryptoAgent.ObservePeer(joined.Member));
                Show(new MemberJoinedEvent(joined.Room, joined.Member.Name));
                break;
            case MemberLeft left:
                _members.Remove(left.Name);
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
        _inRoom = true;
        _members.Clear();
        Show(new ReadyEvent(_settings.Name, joined.Room, _identity!.Fingerprint));
        foreach (var m in joined.Members)
        {
            _members[m.Name] = m;
            _crypto.Tell(new CryptoAgent.ObservePeer(m));
            Show(new MemberJoinedEvent(joined.Room, m.Name));
        }
        while (_waitingForRoom.Count > 0)
            Execute(_waitingForRoom.Dequeue());
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
        if (!_members.TryGetValue(envelope.Sender, out var sender))
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

    private void OnCommand(UserCommand command)
    {
        if (command is UserCommand.Quit)
            _inputEnded = true;
        if (!_inRoom)
        {
            if (command is not UserCommand.Quit and not UserCommand.Nothing)
                _waitingForRoom.Enqueue(command);
            return;
        }
        Execute(command);
    }

    private void Execute(UserCommand command)
    {
        switch (command)
        {
            case UserCommand.Say say:
                foreach (var member in _members.Values)
                    EncryptFor(member, say.Text, direct: false);
                break;
            case UserCommand.Direct dm when _members.TryGetValue(dm.To, out var member):
                EncryptFor(member, dm.Text, direct: true);
                break;
            case UserCommand.Direct dm:
                Show(new ErrorEvent(ErrorCodes.NoSuchMember, $"{dm.To} is not in room {_settings.Room}; message not sent"));
                break;
            case UserCommand.Who:
                Show(new MembersEvent(_settings.Room, _members.Keys.Append(_settings.Name).Order(StringComparer.Ordinal).ToList()));
                break;
            case UserCommand.Verify v when _members.TryGetValue(v.Peer, out var peer):
                _crypto.Tell(new CryptoAgent.ComputeSafetyNumber(peer));
                break;
            case UserCommand.Trust t when _members.TryGetValue(t.Peer, out var peer):
                _crypto.Tell(new CryptoAgent.Trust(peer));
                break;
            case UserCommand.Verify or UserCommand.Trust:
                Show(new ErrorEvent(ErrorCodes.NoSuchMember, "that person is not in the room"));
                break;
            case UserCommand.Invalid invalid:
                Show(new ErrorEvent(ErrorCodes.UnknownCommand, invalid.Usage));
                break;
            case UserCommand.Quit:
                MaybeSayGoodbye();
                break;
        }
    }

    private void EncryptFor(MemberInfo member, string text, bool direct)
    {
        _outstandingCrypto++;
        _crypto.Tell(new CryptoAgent.Encrypt(member, _settings.Room, direct, text, _nextEnvelopeId++));
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
