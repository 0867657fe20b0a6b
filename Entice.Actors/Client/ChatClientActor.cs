using Akka.Actor;
using Akka.Event;
using Entice.Client.Commands;
using Entice.Client.Connection;
using Entice.Client.Keys;
using Entice.Client.Messages;
using Entice.Client.Rooms;
using Entice.Transport;
using Entice.Wire;

namespace Entice.Client;

/// <summary>
/// The client's coordinator. Its states, each a method below (switched with Become):
/// <code>
///   Starting ──identity──▶ Handshaking ──first RoomJoined──▶ AwaitingRoster ──its Pong──▶ Online
///                            │ lost: stop, exit 2                  │ lost                 │ lost
///                            │ refused: stop, exit 1 (2: name)     ▼                      ▼
///                            │                          Reconnecting(then) ◀──────────────┤
///                            │                              │ every room rejoined:        │
///                            │                              └──▶ then (Online, Draining) ─┘
///   Online ──input ended──▶ Draining ──all settled──▶ Leaving (Goodbye sent) ──GoodbyeAck──▶ Stopping
///   Draining, Leaving ──lost──▶ Reconnecting(then: Draining)
///   any ──drain timeout, GoodbyeAck, fatal answer──▶ Stopping ──answers in flight shown──▶ stopped
/// </code>
/// Handshake: ServerHello -> (crypto signs) -> Hello -> Welcome -> JoinRoom (first time) or a rejoin of
/// every room (<see cref="RoomSync"/>). Input typed before the first room's roster is complete
/// (Starting, Handshaking, AwaitingRoster, and Reconnecting after a drop in that window) is stashed,
/// the end of input with it, and replayed in order once it is complete: lines piped at start go to
/// everyone, present and away. Draining: once every encryption is answered and every envelope
/// acknowledged, Goodbye; on GoodbyeAck exit 0 if every line reached every recipient, else 1; 1 if the
/// drain timeout passes first. Before the first join, failures end the client (exit 2: unreachable, 1:
/// refused); after it, the client keeps trying until the user quits. Whatever the relay sends, nothing
/// here throws on it: an odd roster, an unknown member or an envelope for a room we are not in is at
/// most an error event.
/// The parts, each a plain class owned here and called directly (no extra hop on the way to the
/// screen): <see cref="ServerLink"/> (the connection actor, reconnects, backoff), <see cref="RoomSync"/>
/// (rooms, rosters, rejoins), <see cref="CommandRunner"/> (commands), <see cref="Outgoing"/> (outbox,
/// pacing, receipts asked for), <see cref="Incoming"/> (inbox, order, long messages, receipts sent) and
/// <see cref="Screen"/> (display order). The states are here; what every state shares (input, the
/// connection's news, the crypto actor's answers, the server's messages) in ChatClientActor.Shared.cs.
/// </summary>
internal sealed partial class ChatClientActor : ActorBase, IWithTimers, IWithUnboundedStash, IChatOutput
{
    /// <summary>Where the state after a reconnect goes once every room is rejoined.</summary>
    private enum After { ReplayStash, Online, Draining }

    private sealed record DrainTimedOut;

    private sealed record ReconnectNow;

    private sealed record ResendTick;

    private readonly ClientSettings _settings;
    private readonly IActorRef _crypto;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly HashSet<string> _verifiedShown = new(StringComparer.Ordinal);
    private readonly ServerLink _link;
    private readonly Screen _screen;
    private readonly RoomSync _rooms;
    private readonly RoomRoster _roster;
    private readonly Outgoing _outgoing;
    private readonly Incoming _incoming;
    private readonly CommandRunner _commands;
    private CryptoAgent.IdentityInfo? _identity;
    private StoppedEvent? _stopping;

    public ChatClientActor(ClientSettings settings, IActorRef crypto, IActorRef view, ChatClient.ConnectionFactory connect)
    {
        _settings = settings;
        _crypto = crypto;
        var roster = new RoomRoster();
        _roster = roster;
        _link = new ServerLink(settings, connect);
        _screen = new Screen(view);
        _outgoing = new Outgoing(settings, roster, this, _screen, _log);
        _incoming = new Incoming(settings, roster, this, _screen, _outgoing);
        _rooms = new RoomSync(settings, roster, this, _screen, _outgoing);
        _commands = new CommandRunner(settings, _rooms, this, _screen, _outgoing);
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public IStash Stash { get; set; } = null!;

    protected override void PreStart()
    {
        _crypto.Tell(new CryptoAgent.GetIdentity());
        Timers.StartPeriodicTimer("resend", new ResendTick(), _settings.ResendAfter);
        Timers.StartPeriodicTimer("inbox", new Incoming.Tick(), TimeSpan.FromMilliseconds(500));
    }

    // A connection actor that throws is stopped, never restarted: the chat actor sees it terminate and
    // reconnects with a fresh one, as after any dropped connection.
    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(_ => Directive.Stop);

    protected override bool Receive(object message) => Starting(message);

    // ---- states ----

    private bool Starting(object m)
    {
        if (m is not CryptoAgent.IdentityInfo info)
            return WaitForRoom(m) || Common(m);
        _identity = info;
        _link.Open(Context, reconnect: false);
        _outgoing.Attach(_link.Generation);
        Become(Handshaking);
        return true;
    }

    private bool Handshaking(object m)
    {
        if (Lost(m) is var (reason, code))
            Stop(2, code, reason);
        else if (FromServer(m) is ErrorMessage error)
            Stop(ErrorCodes.IsNameRefusal(error.Code) ? 2 : 1, error.Code, error.Message);
        else if (FromServer(m) is Welcome)
        {
            _crypto.Tell(new CryptoAgent.GetPrekeysToPublish());
            _link.Send(new JoinRoom(_settings.Room));
        }
        else if (FromServer(m) is RoomJoined joined)
        {
            if (_rooms.OnRoomJoined(joined, room => new ReadyEvent(_settings.Name, room, _identity!.Fingerprint)) != RoomSync.Joined.Entered)
                return true;
            _outgoing.GoOnline(resendAll: false);
            Become(AwaitingRoster);
        }
        else
            return WaitForRoom(m) || Common(m);
        return true;
    }

    private bool AwaitingRoster(object m)
    {
        if (Lost(m) is var (reason, code))
            StartReconnect(reason, code, After.ReplayStash);
        else if (FromServer(m) is Pong pong)
        {
            if (_rooms.OnPong(pong) == RoomSync.Completed.Nothing)
                return true;
            Become(Online);
            Stash.UnstashAll();
        }
        else
            return WaitForRoom(m) || Common(m);
        return true;
    }

    private bool Online(object m)
    {
        if (Lost(m) is var (reason, code))
            StartReconnect(reason, code, After.Online);
        else if (Input(m) is var (command, room, tag))
        {
            if (command is UserCommand.Quit)
                BeginDraining();
            else
                _commands.Execute(command, room, tag, online: true);
        }
        else
            return Common(m);
        return true;
    }

    private void BeginDraining()
    {
        Become(Draining);
        SayGoodbyeWhenSettled();
    }

    private bool Draining(object m)
    {
        if (Lost(m) is var (reason, code))
        {
            StartReconnect(reason, code, After.Draining);
            return true;
        }
        var handled = Execute(m, online: true) || Common(m);
        SayGoodbyeWhenSettled();
        return handled;
    }

    // Goodbye goes once every envelope is acknowledged; the server answers only after the rooms routed
    // everything before it, so GoodbyeAck means "your messages are on their way".
    private void SayGoodbyeWhenSettled()
    {
        // A receipt waiting for the save of a message shown before it must leave before the goodbye.
        if (!_outgoing.Settled || _incoming.WaitingForSaves)
            return;
        // --once: leave every room for good before the goodbye (the server handles a connection's frames
        // in order), so rooms do not keep a member who will never return.
        foreach (var room in _settings.LeaveOnExit ? _roster.Rooms.ToList() : [])
            _link.Send(new LeaveRoom(room));
        _link.Send(new Goodbye());
        Become(Leaving);
    }

    private bool Leaving(object m)
    {
        if (Lost(m) is var (reason, code))
            StartReconnect(reason, code, After.Draining);
        else if (FromServer(m) is GoodbyeAck)
        {
            var (failed, first) = _outgoing.Failures;
            if (failed > 0)
                Stop(1, ErrorCodes.NotDelivered, $"{failed} message(s) did not reach every recipient; the first: {first}");
            else
                Stop(0, null, "done");
        }
        else
            return Execute(m, online: true) || Common(m);
        return true;
    }

    private void StartReconnect(string reason, string code, After then)
    {
        _rooms.ConnectionLost();
        _outgoing.Detach();
        var delay = _link.Lost(Context);
        _screen.Show(new DisconnectedEvent(reason, delay));
        Timers.StartSingleTimer("reconnect", new ReconnectNow(), delay);
        Become(m => Reconnecting(m, then));
    }

    private bool Reconnecting(object m, After then)
    {
        if (Lost(m) is var (reason, code))
            StartReconnect(reason, code, then);
        else if (m is ReconnectNow)
        {
            _link.Open(Context, reconnect: true);
            _outgoing.Attach(_link.Generation);
        }
        else if (FromServer(m) is Welcome)
        {
            _crypto.Tell(new CryptoAgent.GetPrekeysToPublish());
            _screen.Show(new ReconnectedEvent(_link.Server));
            if (!_rooms.RejoinAll())
                BackOnline(then);
        }
        else if (FromServer(m) is Pong pong)
        {
            if (_rooms.OnPong(pong) == RoomSync.Completed.LastRejoin)
                BackOnline(then);
        }
        else if (then == After.ReplayStash)
            return WaitForRoom(m) || Common(m);
        else if (then == After.Online && Input(m) is (UserCommand.Quit, _, _))
            Become(msg => Reconnecting(msg, After.Draining));
        else
            return Execute(m, online: false) || Common(m);
        return true;
    }

    // Every room is joined again and its roster known: what the server never acknowledged goes again,
    // oldest first.
    private void BackOnline(After then)
    {
        _link.Settled();
        _outgoing.GoOnline(resendAll: true);
        if (then == After.Draining)
        {
            BeginDraining();
            return;
        }
        Become(Online);
        Stash.UnstashAll();
    }

    private void Stop(int exitCode, string? code, string reason)
    {
        if (code is not null)
            _screen.Show(new ErrorEvent(code, reason));
        _screen.Muted = true;
        _link.Close();
        _stopping = new StoppedEvent(exitCode, reason);
        // The wait below is bounded: a place the crypto actor never fills must not keep the process alive
        // (a stop from GoodbyeAck comes with the drain timer running; other stops start it).
        if (!Timers.IsTimerActive("drain"))
            Timers.StartSingleTimer("drain", new DrainTimedOut(), _settings.DrainTimeout);
        Become(Stopping);
        FinishStopping();
    }

    // What fills a place on the screen still comes first: messages being decrypted and newcomers whose keys
    // are being checked (the crypto actor answers both). Everything else is ignored; after the drain
    // timeout the client stops without the places still waiting.
    private bool Stopping(object m)
    {
        switch (m)
        {
            case CryptoAgent.Decrypted or CryptoAgent.DecryptRejected or CryptoAgent.DecryptHeld or CryptoAgent.PeerObserved:
                Common(m);
                FinishStopping();
                break;
            case DrainTimedOut:
                FinishStopping(giveUp: true);
                break;
        }
        return true;
    }

    private void FinishStopping(bool giveUp = false)
    {
        if (_stopping is null || (_screen.HasPending && !giveUp))
            return;
        _screen.View.Tell(_stopping);
        _stopping = null;
        Context.Stop(Self);
    }

    void IChatOutput.ToServer(WireMessage message) => _link.Send(message);

    void IChatOutput.ToCrypto(object request) => _crypto.Tell(request);

    void IChatOutput.Later(string key, object message, TimeSpan delay) => Timers.StartSingleTimer(key, message, delay);
}
