using Akka.Actor;
using Akka.Event;
using Entice.Wire;

namespace Entice.Client;

/// <summary>
/// States:
///   Starting     -> own identity from the crypto actor, then a connection
///   Handshaking  -> ServerHello -> (crypto signs) -> Hello -> Welcome -> JoinRoom (the first time)
///   Online       -> chatting; lines typed before the first join waited in order and go now
///   Offline      -> the connection dropped after the first join: reconnect with backoff and jitter,
///                   rejoin every room, then send again everything the server has not acknowledged
///                   (typed meanwhile, or in flight when the connection dropped)
///   Draining     -> input ended: once every encryption is answered and every envelope acknowledged,
///                   Goodbye; exit 0 on GoodbyeAck, 1 if the drain timeout passes first
/// Before the first join, failures end the client (exit 2: unreachable, 1: refused). After it, the
/// client keeps trying until the user quits.
/// </summary>
internal sealed class ChatClientActor : ReceiveActor, IWithTimers
{
    private sealed record DrainTimedOut;

    private sealed record ReconnectNow;

    private sealed record ResendTick;


    private readonly ClientSettings _settings;
    private readonly IActorRef _crypto;
    private readonly IActorRef _view;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly RoomRoster _roster = new();
    private readonly Queue<(UserCommand Command, string? Room, string? Tag)> _waitingForRoom = new();
    private readonly DisplayOrder _display = new();
    private readonly Outbox _outbox = new();
    private readonly SeenEnvelopes _seen = new();
    // Envelopes at the crypto actor, by display ticket; StoredSeq is set for one kept while we were away.
    private readonly Dictionary<ulong, (string Sender, ulong Id, ulong? StoredSeq)> _decrypting = [];
    private readonly HashSet<string> _rejoining = new(StringComparer.Ordinal);
    private readonly Backoff _backoff;
    private readonly HashSet<string> _verifiedShown = new(StringComparer.Ordinal);
    private readonly SendTracker _sending = new();
    private readonly DeliveryTracker _delivery = new();
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
    private int _outstandingCrypto;
    private ulong _nextEnvelopeId = (ulong)Random.Shared.NextInt64(1, long.MaxValue / 2);

    public ChatClientActor(ClientSettings settings, IActorRef crypto, IActorRef view)
    {
        _settings = settings;
        _crypto = crypto;
        _view = view;
        _currentRoom = settings.Room;
        _backoff = new Backoff(settings.ReconnectInitial, settings.ReconnectMax);

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
        Receive<ReconnectNow>(_ => Connect());
        Receive<ResendTick>(_ => OnResendTick());
        Receive<CryptoAgent.HelloSigned>(h => _connection.Tell(new ServerConnection.Send(
            new Hello(ProtocolVersion.Current, _settings.Name, _identity!.Bundle, h.Signature))));
        Receive<CryptoAgent.PeerObserved>(OnPeerObserved);
        // Asked for at every Welcome, and offered unasked when the batch runs low.
        Receive<CryptoAgent.PrekeysToPublish>(p => _connection.Tell(new ServerConnection.Send(new PublishPrekeys(p.Prekeys))));
        Receive<CryptoAgent.Encrypted>(e =>
        {
            _outbox.Add(e.Envelope, Now());
            if (_online)
                _connection.Tell(new ServerConnection.Send(e.Envelope));
            CryptoAnswered();
        });
        Receive<CryptoAgent.EncryptRefused>(r =>
        {
            EnvelopeSettled(r.EnvelopeId, taken: false);
            CryptoAnswered();
            Show(new ErrorEvent(r.Code, r.Reason));
        });
        Receive<CryptoAgent.Decrypted>(d =>
        {
            var known = _decrypting.Remove(d.Ticket, out var key);
            if (known)
                AckStored(key.StoredSeq);
            if (known)
                _seen.Add(key.Sender, key.Id);
            if (d.Plaintext.ReceiptFor is { } ids)
            {
                ShowAnswer(d.Ticket, null);
                foreach (var delivered in _delivery.Delivered(d.From, ids))
                    Show(delivered);
                return;
            }
            ShowAnswer(d.Ticket, new MessageEvent(d.Room, d.From, d.Plaintext.Text, d.Direct,
                DateTimeOffset.FromUnixTimeMilliseconds(d.Plaintext.SentAtUnixMs)));
            if (known)
                SendReceipt(d.Room, d.From, key.Id);
        });
        Receive<CryptoAgent.DecryptRejected>(r =>
        {
            var known = _decrypting.Remove(r.Ticket, out var key);
            if (known)
                AckStored(key.StoredSeq);
            // A copy of an envelope that was shown already (two copies in flight at once, or a stored one
            // delivered again after we crashed before acknowledging it) is no attack.
            var copy = known && r.Code == ErrorCodes.Replay && (key.StoredSeq is not null || _seen.Contains(key.Sender, key.Id));
            ShowAnswer(r.Ticket, copy ? null : new ErrorEvent(r.Code, r.Reason));
        });
        Receive<CryptoAgent.DecryptHeld>(h => ShowAnswer(h.Ticket, null));
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
    }

    private static long Now() => Environment.TickCount64 * TimeSpan.TicksPerMillisecond;

    private void Connect()
    {
        var firstServer = _everJoined ? _serverIndex + _backoff.Attempt : 0;
        _connection = Context.ActorOf(ServerConnection.Props(_settings, Self, firstServer), $"connection-{++_generation}");
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
        _online = false;
        _rejoining.Clear();
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
            case RoomLeft left:
                _roster.Leave(left.Room);
                Show(new RoomExitedEvent(left.Room));
                break;
            case MemberJoined joined:
                _roster.Add(joined.Room, joined.Member);
                _crypto.Tell(new CryptoAgent.ObservePeer(joined.Member));
                Show(new MemberJoinedEvent(joined.Room, joined.Member.Name));
                Resend(_outbox.TakeFor(joined.Member.Name, Now())); // what waited for them while they were away
                break;
            case MemberLeft left:
                _roster.Remove(left.Room, left.Name);
                Show(new MemberLeftEvent(left.Room, left.Name));
                break;
            case MemberAway away:
                var alreadyAway = _roster.IsAway(away.Room, away.Member.Name);
                _roster.AddAway(away.Room, away.Member);
                _crypto.Tell(new CryptoAgent.ObservePeer(away.Member));
                if (!alreadyAway)
                    Show(new MemberAwayEvent(away.Room, away.Member.Name));
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
                    EnvelopeSettled(refused.Id, taken: false);
                Show(new ErrorEvent(refused.Code, $"not delivered: {refused.Message}"));
                MaybeSayGoodbye();
                break;
            case GoodbyeAck:
                Stop(0, null, "done");
                break;
            case ErrorMessage error when !_everJoined:
                Stop(ErrorCodes.IsNameRefusal(error.Code) ? 2 : 1, error.Code, error.Message);
                break;
            case ErrorMessage error:
                Show(new ErrorEvent(error.Code, error.Message));
                break;
            case Ping ping:
                _connection.Tell(new ServerConnection.Send(new Pong(ping.Nonce)));
                break;
            case PrekeyFor given when given.Prekeys.Count > 0:
                _crypto.Tell(new CryptoAgent.ProvidePrekey(given.Name, given.Prekeys[0]));
                break;
        }
    }

    private void OnWelcome()
    {
        _crypto.Tell(new CryptoAgent.GetPrekeysToPublish());
        if (!_everJoined)
        {
            _connection.Tell(new ServerConnection.Send(new JoinRoom(_settings.Room)));
            return;
        }
        Show(new ReconnectedEvent(_server));
        foreach (var room in _roster.Rooms)
        {
            _rejoining.Add(room);
            _connection.Tell(new ServerConnection.Send(new JoinRoom(room)));
        }
        if (_rejoining.Count == 0)
            BackOnline();
    }

    private void OnRoomJoined(RoomJoined joined)
    {
        if (_rejoining.Remove(joined.Room))
        {
            // Back after a reconnect: report only who came or went meanwhile.
            var before = _roster.Members(joined.Room).Select(m => m.Name).ToHashSet(StringComparer.Ordinal);
            _roster.Enter(joined.Room, joined.Members);
            foreach (var m in joined.Members)
            {
                _crypto.Tell(new CryptoAgent.ObservePeer(m));
                if (!before.Remove(m.Name))
                    Show(new MemberJoinedEvent(joined.Room, m.Name));
            }
            foreach (var gone in before)
                Show(new MemberLeftEvent(joined.Room, gone));
            if (_rejoining.Count == 0)
                BackOnline();
            return;
        }

        _roster.Enter(joined.Room, joined.Members);
        _currentRoom = joined.Room;
        if (_everJoined)
        {
            Show(new RoomEnteredEvent(joined.Room));
        }
        else
        {
            _everJoined = true;
            _online = true;
            Show(new ReadyEvent(_settings.Name, joined.Room, _identity!.Fingerprint));
        }
        foreach (var m in joined.Members)
        {
            _crypto.Tell(new CryptoAgent.ObservePeer(m));
            Show(new MemberJoinedEvent(joined.Room, m.Name));
        }
        while (_waitingForRoom.Count > 0)
        {
            var (command, room, tag) = _waitingForRoom.Dequeue();
            Execute(command, room, tag);
        }
        MaybeSayGoodbye();
    }

    // Every room is joined again: what the server never acknowledged goes again, oldest first.
    private void BackOnline()
    {
        _online = true;
        _backoff.Reset();
        Resend(_outbox.TakeAllForResend(Now()));
        MaybeSayGoodbye();
    }

    // Unanswered envelopes go again; ones refused because the recipient is away wait for them a while,
    // then the user is told they were not delivered.
    private void OnResendTick()
    {
        var now = Now();
        foreach (var lost in _outbox.DropRefusedOlderThan(_settings.RecipientWait.Ticks, now))
        {
            EnvelopeSettled(lost.Id, taken: false);
            Show(new ErrorEvent(ErrorCodes.NoSuchMember, $"a message to {lost.Recipient} was not delivered: they did not come back to {lost.Room} within {_settings.RecipientWait.TotalSeconds:0} s"));
        }
        Resend(_outbox.TakeOlderThan(_settings.ResendAfter.Ticks, now));
        MaybeSayGoodbye();
    }

    private void Resend(List<Envelope> envelopes)
    {
        if (!_online || envelopes.Count == 0)
            return;
        _log.Info("Sending {Count} unacknowledged envelope(s) again", envelopes.Count);
        foreach (var e in envelopes)
            _connection.Tell(new ServerConnection.Send(e));
    }

    private void OnPeerObserved(CryptoAgent.PeerObserved observed)
    {
        if (observed.Verified && _verifiedShown.Add(observed.Name))
            Show(new VerifiedEvent(observed.Name));
        if (observed.NeedsSession)
            _connection.Tell(new ServerConnection.Send(new FetchPrekey(observed.Name)));
        if (observed.Status == PeerKeyStatus.Changed)
            Show(new KeyChangedEvent(observed.Name));
        else if (observed.Status == PeerKeyStatus.Invalid)
            Show(new ErrorEvent(ErrorCodes.UntrustedKey, $"the server announced keys for {observed.Name} that do not verify; nothing will be sent to them"));
    }

    // A stored envelope (kept while we were away) is acknowledged once handled, whatever the outcome,
    // so the server deletes it: each is shown at most once, and a copy after a crash is a quiet replay.
    private void OnEnvelope(Envelope envelope, ulong? storedSeq)
    {
        if (!_roster.TryGet(envelope.Room, envelope.Sender, out var sender))
        {
            AckStored(storedSeq);
            Show(new ErrorEvent(ErrorCodes.DecryptFailed, $"a message from {envelope.Sender}, who is not in room {envelope.Room}, was ignored"));
            return;
        }
        // No de-duplication before decrypting: the envelope id is bound into the ciphertext, so a copy of a
        // shown envelope comes back as a replay (dropped quietly below), and an id rewritten by the relay
        // fails to decrypt (shown as an error) instead of making a real message vanish as a "copy".
        var ticket = _display.Reserve();
        _decrypting[ticket] = (envelope.Sender, envelope.Id, storedSeq);
        _crypto.Tell(new CryptoAgent.Decrypt(envelope, sender, ticket));
    }

    private void AckStored(ulong? seq)
    {
        if (seq is { } s && _online)
            _connection.Tell(new ServerConnection.Send(new StoredAck(s)));
    }

    private void OnCommand(UserCommand command, string? room, string? tag)
    {
        if (command is UserCommand.Quit && !_inputEnded)
        {
            _inputEnded = true;
            Timers.StartSingleTimer("drain", new DrainTimedOut(), _settings.DrainTimeout);
        }
        if (!_everJoined)
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
            case UserCommand.Say when !_roster.IsIn(room):
                Show(new ErrorEvent(ErrorCodes.NotInRoom, $"you are not in room {room}; /join {room} first"));
                break;
            case UserCommand.Say when _roster.Members(room).Count == 0:
                Show(new ErrorEvent(ErrorCodes.NoSuchMember, $"nobody else is in {room}; the message was not sent"));
                break;
            case UserCommand.Say say:
                var message = _sending.Start(room, null, tag);
                foreach (var member in _roster.Members(room))
                    EncryptFor(room, member, say.Text, direct: false, message);
                break;
            case UserCommand.Direct dm when _roster.FindPeer(dm.To, room) is var (dmRoom, member):
                EncryptFor(dmRoom, member, dm.Text, direct: true, _sending.Start(dmRoom, dm.To, tag));
                break;
            case UserCommand.Direct dm:
                Show(new ErrorEvent(ErrorCodes.NoSuchMember, $"{dm.To} is not in any room you are in; message not sent"));
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

    // The sender learns its message was read: an encrypted receipt, direct to them, in the same room.
    private void SendReceipt(string room, string to, ulong envelopeId)
    {
        if (!_roster.TryGet(room, to, out var sender))
            return;
        _outstandingCrypto++;
        _crypto.Tell(new CryptoAgent.Encrypt(sender, room, true, "", _nextEnvelopeId++, [envelopeId]));
    }

    private void EncryptFor(string room, MemberInfo member, string text, bool direct, SendTracker.Message message)
    {
        _outstandingCrypto++;
        var envelopeId = _nextEnvelopeId++;
        _sending.AddEnvelope(envelopeId, message);
        _delivery.Expect(envelopeId, member.Name, message.Id, message.Tag);
        _crypto.Tell(new CryptoAgent.Encrypt(member, room, direct, text, envelopeId));
    }

    private void EnvelopeSettled(ulong envelopeId, bool taken)
    {
        if (_sending.Settle(envelopeId, taken) is { } sent)
            Show(sent);
    }

    private void CryptoAnswered()
    {
        _outstandingCrypto--;
        MaybeSayGoodbye();
    }

    // Goodbye goes once every envelope is acknowledged; the server answers only after the rooms routed
    // everything before it, so GoodbyeAck means "your messages are on their way".
    private void MaybeSayGoodbye()
    {
        if (!_inputEnded || !_online || _goodbyeSent || _outstandingCrypto > 0 || !_outbox.IsEmpty)
            return;
        _goodbyeSent = true;
        _connection.Tell(new ServerConnection.Send(new Goodbye()));
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
