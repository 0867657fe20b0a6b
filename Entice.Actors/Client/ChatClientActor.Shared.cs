using Akka.Actor;
using Akka.Event;
using Entice.Client.Keys;
using Entice.Client.Messages;
using Entice.Transport;
using Entice.Wire;

namespace Entice.Client;

/// <summary>
/// What every state of the chat actor shares: user input as commands, which connection a message is
/// from and whether it was lost, the crypto actor's answers, and the server's messages that mean the
/// same in every state. A state handles what is its own first, then falls back to <see cref="Common"/>.
/// </summary>
internal sealed partial class ChatClientActor
{
    /// <summary>Before the first room's roster is complete: input waits (in order), the end of input too.</summary>
    private bool WaitForRoom(object m)
    {
        if (Input(m) is not var (command, _, _))
            return false;
        if (command is not UserCommand.Nothing)
            Stash.Stash();
        return true;
    }

    /// <summary>Input once the first room's roster is complete; the end of input is left to the state.</summary>
    private bool Execute(object m, bool online)
    {
        if (Input(m) is not var (command, room, tag))
            return false;
        if (command is not UserCommand.Quit)
            _commands.Execute(command, room, tag, online);
        return true;
    }

    /// <summary>A command from the user, parsed once; the end of input is <see cref="UserCommand.Quit"/> and starts the drain timer.</summary>
    private (UserCommand Command, string? Room, string? Tag)? Input(object m)
    {
        (UserCommand, string?, string?)? input = m switch
        {
            ChatClient.UserLine line => (UserCommand.Parse(line.Line), line.Room, line.Tag),
            ChatClient.Command command => (command.What, command.Room, command.Tag),
            ChatClient.EndOfInput => (new UserCommand.Quit(), null, null),
            _ => null,
        };
        if (input is (UserCommand.Quit, _, _) && !Timers.IsTimerActive("drain"))
            Timers.StartSingleTimer("drain", new DrainTimedOut(), _settings.DrainTimeout);
        return input;
    }

    /// <summary>The current connection failed, dropped, or its actor stopped.</summary>
    private (string Reason, string Code)? Lost(object m) => m switch
    {
        ServerConnection.ConnectFailed f when _link.IsCurrent(Sender) => (f.Reason, ErrorCodes.ServerUnreachable),
        ServerConnection.Disconnected d when _link.IsCurrent(Sender) => (d.Reason, ErrorCodes.Disconnected),
        // The connection actor failed (and was stopped, see SupervisorStrategy): as if the connection dropped.
        Terminated t when t.ActorRef.Equals(_link.Connection) => ("the connection actor failed", ErrorCodes.Disconnected),
        _ => null,
    };

    private WireMessage? FromServer(object m) =>
        m is ServerConnection.Received r && _link.IsCurrent(Sender) ? r.Message : null;

    /// <summary>The exit code when the server's key is not the one given or pinned (README, exit codes).</summary>
    private const int ServerKeyRefusedExitCode = 3;

    private bool Common(object m)
    {
        switch (m)
        {
            case ServerConnection.Received r when _link.IsCurrent(Sender):
                OnServerMessage(r.Message);
                break;
            case ServerConnection.ServerKeyRefused k when _link.IsCurrent(Sender):
                // Never retried: the user decides (the reason says how to accept the new key).
                Stop(ServerKeyRefusedExitCode, ErrorCodes.ServerKeyChanged, k.Reason);
                break;
            case ServerConnection.Connected c when _link.IsCurrent(Sender):
                _link.OnConnected(c);
                _log.Info("Connected to {Server}", c.Server);
                break;
            case CryptoAgent.IdentityInfo info:
                _identity = info; // asked for again at each reconnect: a signed prekey rotated meanwhile
                break;
            case CryptoAgent.HelloSigned h:
                _link.Send(new Hello(ProtocolVersion.Current, _settings.Name, _identity!.Bundle, h.Signature));
                break;
            // Asked for at every Welcome, and offered unasked when the batch runs low.
            case CryptoAgent.PrekeysToPublish p:
                _link.Send(new PublishPrekeys(p.Prekeys));
                break;
            case CryptoAgent.PeerObserved observed:
                OnPeerObserved(observed);
                break;
            case CryptoAgent.Encrypted e:
                _outgoing.OnEncrypted(e);
                break;
            case CryptoAgent.EncryptRefused r:
                _outgoing.OnEncryptRefused(r);
                break;
            case CryptoAgent.Decrypted d:
                _incoming.OnDecrypted(d);
                break;
            case CryptoAgent.DecryptRejected r:
                _incoming.OnDecryptRejected(r);
                break;
            case CryptoAgent.DecryptSaved saved:
                _incoming.OnDecryptSaved(saved);
                break;
            case CryptoAgent.SenderKeyTaken taken:
                _incoming.OnSenderKeyTaken(taken);
                break;
            case CryptoAgent.DecryptHeld h:
                _incoming.OnDecryptHeld(h);
                break;
            case CryptoAgent.SafetyNumberComputed s:
                _screen.Show(new SafetyNumberEvent(s.Peer, s.Digits));
                break;
            case CryptoAgent.TrustAccepted t:
                _screen.Show(new TrustedEvent(t.Peer));
                _rooms.OnTrusted(t.Peer);
                break;
            case CryptoAgent.VerificationRecorded v:
                _screen.Show(new VerifiedEvent(v.Peer));
                break;
            case CryptoAgent.VerificationRefused v:
                _screen.Show(new ErrorEvent(ErrorCodes.UntrustedKey, v.Reason));
                break;
            case ResendTick:
                _outgoing.OnResendTick();
                break;
            case Outgoing.ReceiptTick:
                _outgoing.FlushReceipts();
                break;
            case Outgoing.PaceTick:
                _outgoing.Pump();
                break;
            case Incoming.Tick:
                _incoming.OnTick();
                break;
            case DrainTimedOut:
                Stop(1, ErrorCodes.Disconnected,
                    $"gave up after {_settings.DrainTimeout.TotalSeconds:0} s: {_outgoing.Unacknowledged} envelope(s) could not be delivered to the server");
                break;
            case Terminated or ReconnectNow or ServerConnection.Received or ServerConnection.Connected or ServerConnection.ServerKeyRefused
                or ServerConnection.ConnectFailed or ServerConnection.Disconnected:
                break; // from a connection that is not the current one any more, or a stale timer
            default:
                return false;
        }
        return true;
    }

    private void OnServerMessage(WireMessage message)
    {
        switch (message)
        {
            case ServerHello hello when hello.Version == ProtocolVersion.Current:
                // The bundle is asked for again on every reconnection: a signed prekey rotated during a
                // long run reaches the server at the next reconnect (answers come in order).
                if (_link.Generation > 1)
                    _crypto.Tell(new CryptoAgent.GetIdentity());
                _crypto.Tell(new CryptoAgent.SignHello(hello.Challenge));
                break;
            case ServerHello hello:
                Stop(1, ErrorCodes.UnsupportedVersion, $"the server speaks protocol {hello.Version}; this client speaks {ProtocolVersion.Current}");
                break;
            case RoomJoined joined:
                _rooms.OnRoomJoined(joined, room => new RoomEnteredEvent(room));
                break;
            case RoomLeft left:
                _rooms.OnRoomLeft(left);
                break;
            case MemberJoined joined:
                _rooms.OnMemberJoined(joined);
                break;
            case MemberLeft left:
                _rooms.OnMemberLeft(left);
                break;
            case MemberAway away:
                _rooms.OnMemberAway(away);
                break;
            case Pong pong:
                _rooms.OnPong(pong);
                break;
            case Envelope envelope:
                _incoming.OnEnvelope(envelope, storedSeq: null);
                break;
            case StoredEnvelope stored:
                _incoming.OnEnvelope(stored.Envelope, stored.Seq);
                break;
            case EnvelopeAck ack:
                _outgoing.OnAck(ack);
                break;
            case EnvelopeRefused refused:
                _outgoing.OnRefused(refused);
                break;
            case ErrorMessage error when error.Code is ErrorCodes.FrameTooLarge or ErrorCodes.BadFrame:
                _outgoing.OnFrameRefused(error);
                break;
            case ErrorMessage error:
                _screen.Show(new ErrorEvent(error.Code, error.Message));
                break;
            case Ping ping:
                _link.Send(new Pong(ping.Nonce));
                break;
            case PrekeyFor given when given.Prekeys.Count > 0 && Names.IsValidName(given.Name):
                _crypto.Tell(new CryptoAgent.ProvidePrekey(given.Name, given.Prekeys[0]));
                break;
        }
    }

    private void OnPeerObserved(CryptoAgent.PeerObserved observed)
    {
        _rooms.OnPeerObserved(observed);
        if (observed.Verified && _verifiedShown.Add(observed.Name))
            _screen.Show(new VerifiedEvent(observed.Name));
        if (observed.NeedsSession)
            _outgoing.Transmit(new FetchPrekey(observed.Name));
        if (observed.Status == PeerKeyStatus.Changed)
            _screen.Show(new KeyChangedEvent(observed.Name));
        else if (observed.Status == PeerKeyStatus.Invalid)
            _screen.Show(new ErrorEvent(ErrorCodes.UntrustedKey, $"the server announced keys for {observed.Name} that do not verify; nothing will be sent to them"));
    }
}
