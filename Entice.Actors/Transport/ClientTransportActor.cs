using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using Akka.Event;
using Entice.Transport.Sockets;
using Entice.Wire;

namespace Entice.Transport;

/// <summary>
/// The socket side of one client connection: it owns the accepted socket (<see cref="SocketConnection"/>):
/// TCP bytes through an <see cref="IFrameLayer"/> into a <see cref="FrameDecoder"/>, frames out through an
/// <see cref="AckedWriter"/>, the heartbeat and idle timeout, the pre-hello frame limit and the
/// server-wide <see cref="FrameBudget"/>. What the client says goes to an <see cref="IClientProtocol"/>,
/// a plain object called on this actor's thread (no mailbox hop per frame). States, each a method
/// switching over the message types, entered with <c>Become</c>:
/// <code>
///   AwaitingHello --Hello accepted--> Claiming --Welcomed--> Serving --goodbye drained--> Closing
///        |                               |                      |                            ^
///        +-- bad frame, timeout, --------+-- refused, flood, ---+-- error, idle, too slow, --+
///            shutdown                        timeout, shutdown      replaced, shutdown
/// </code>
///   AwaitingHello: ServerHello sent; one hello-sized frame, and it must be a Hello.
///   Claiming:      the name registry decides; reads that arrive meanwhile are stashed, in order, within
///                  a read and byte bound (past it: closed, "wait for welcome").
///   Serving:       every message goes to the protocol; pings are answered here.
///   Closing:       a final frame is queued; the socket closes once it is written; input is ignored.
/// Any violation costs only this connection: it is logged with a reason and closed.
/// Before all of them the frame layer's handshake (the encrypted channel): frames the protocol sends
/// meanwhile (the ServerHello) wait, bounded, until it is done; a close before it is done (a plaintext
/// client, a timeout) goes out as one plaintext error frame, the only plaintext the server writes.
/// An <see cref="UntypedActor"/> with no per-instance delegates beyond the current state's: with thousands
/// of mostly idle connections, a ReceiveActor's handler objects (~2 KiB each) were a tenth of their memory.
/// </summary>
internal sealed class ClientTransportActor : UntypedActor, IWithTimers, IWithStash, IClientLink
{
    private sealed class HandshakeDeadline
    {
        public static readonly HandshakeDeadline Instance = new();
    }

    private sealed class HeartbeatTick
    {
        public static readonly HeartbeatTick Instance = new();
    }

    private sealed class ChannelDeadline
    {
        public static readonly ChannelDeadline Instance = new();
    }

    /// <summary>Frames the protocol may send before the channel is up (the ServerHello): at most this many bytes.</summary>
    private const int MaxUnreadyBytes = 16 * 1024;

    /// <summary>Frames decoded in the same read as the hello: handled first once the claim is done.</summary>
    private sealed record HeldFrames(List<byte[]> Frames);

    private readonly SocketConnection _socket;
    private readonly ClientLinkOptions _settings;
    private List<byte[]>? _unready;
    private int _unreadyBytes;
    private readonly FrameDecoder _decoder;
    private readonly AckedWriter _writer;
    private readonly IFrameLayer _layer;
    private readonly IClientProtocol _protocol;
    private readonly InboundBudget _budget;
    private readonly List<byte[]> _frames = [];
    private readonly bool _refuse;
    private long _lastHeardTicks = NowTicks();
    private ulong _pingNonce;

    /// <summary>First size of a frame buffer; it doubles as the frame's bytes arrive.</summary>
    private const int FrameBufferStart = 256;

    public ClientTransportActor(Socket socket, EndPoint remote, ClientLinkOptions settings, Func<IClientLink, IClientProtocol> protocol,
        bool refuse, FrameBudget? budget, IFrameLayer layer)
    {
        _socket = new SocketConnection(socket, Self);
        Remote = remote;
        _settings = settings;
        _refuse = refuse;
        _layer = layer;
        // Until the hello is accepted a connection is nobody: it may send a hello-sized frame and no more.
        _decoder = new FrameDecoder(Math.Min(settings.MaxHelloFrameSize, settings.MaxFrameSize), growFrom: FrameBufferStart);
        _writer = new AckedWriter(settings.MaxOutboundQueueBytes, layer);
        _budget = new InboundBudget(budget, Math.Max(settings.MaxHelloFrameSize, 4096));
        _protocol = protocol(this);
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public IStash Stash { get; set; } = null!;

    public EndPoint Remote { get; }

    /// <summary>Made when used (a connection logs at its start and end), not kept: an idle connection holds no adapter.</summary>
    public ILoggingAdapter Log => Context.GetLogger();

    IActorRef IClientLink.Self => Self;

    private static long NowTicks() => Environment.TickCount64 * TimeSpan.TicksPerMillisecond;

    protected override void PreStart()
    {
        _writer.Attach(_socket);
        _socket.ResumeReading();
        if (_refuse)
        {
            Close(ErrorCodes.Overloaded, "the server is not taking connections now (full or shutting down); try again later", "refused at accept");
            return;
        }
        _protocol.Start();
        Timers.StartSingleTimer("handshake", HandshakeDeadline.Instance, _settings.HandshakeTimeout);
        if (!_layer.IsReady)
            Timers.StartSingleTimer("channel", ChannelDeadline.Instance, _settings.Channel.HandshakeTimeout);
        var tick = TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerSecond / 10, Math.Min(_settings.HeartbeatInterval.Ticks, _settings.IdleTimeout.Ticks) / 2));
        Timers.StartPeriodicTimer("heartbeat", HeartbeatTick.Instance, tick);
    }

    protected override void PostStop()
    {
        _budget.ReleaseAll();
        (_layer as IDisposable)?.Dispose();
        _socket.Dispose();
    }

    // The first state (UntypedActor's own receive).
    protected override void OnReceive(object message) => AwaitingHello(message);

    private void AwaitingHello(object message)
    {
        switch (message)
        {
            case SocketConnection.Received r:
                OnRead(r, beforeHello: true);
                break;
            case HandshakeDeadline:
                Close(ErrorCodes.HandshakeTimeout, $"no hello within {_settings.HandshakeTimeout.TotalSeconds:0.#} s", "handshake timeout");
                break;
            case ChannelDeadline:
                if (!_layer.IsReady)
                    Close(ErrorCodes.HandshakeTimeout, $"no channel handshake within {_settings.Channel.HandshakeTimeout.TotalSeconds:0.#} s", "channel handshake timeout");
                break;
            case ClientTransport.Shutdown:
                CloseForShutdown();
                break;
            default:
                if (!Always(message, ping: false))
                    Unhandled(message);
                break;
        }
    }

    private void Claiming(object message)
    {
        switch (message)
        {
            case SocketConnection.Received r:
                // Kept (with its buffer) until the welcome; reading goes on so a flood is seen and bounded.
                if (Hold(r.Count))
                {
                    _socket.Keep(r);
                    _socket.ResumeReading();
                }
                else
                {
                    NextRead(r);
                }
                break;
            case HandshakeDeadline:
                Close(ErrorCodes.HandshakeTimeout, $"no welcome within {_settings.HandshakeTimeout.TotalSeconds:0.#} s", "handshake timeout while claiming");
                break;
            case ClientTransport.Shutdown:
                CloseForShutdown();
                break;
            default:
                if (!Always(message, ping: false))
                    ToProtocol(message);
                break;
        }
    }

    private void Serving(object message)
    {
        switch (message)
        {
            case SocketConnection.Received r:
                OnRead(r, beforeHello: false);
                break;
            case HeldFrames h:
                foreach (var frame in h.Frames)
                    if (!_writer.Closing)
                        OnFrame(frame);
                break;
            case HandshakeDeadline:
                break;
            case ClientTransport.Shutdown:
                _protocol.OnShutdown();
                break;
            default:
                if (!Always(message, ping: true))
                    ToProtocol(message);
                break;
        }
    }

    // A final frame is queued; what the client or the rooms still send is of no use now.
    private void Closing(object message)
    {
        switch (message)
        {
            case AckedWriter.Ack:
                _writer.OnAck();
                break;
            case SocketConnection.Closed c:
                OnSocketClosed(c);
                break;
            case SocketConnection.Received r:
                // Input is dropped, but read, so the peer's close is seen and unread input does not reset the last frame.
                NextRead(r);
                break;
        }
    }

    // What every open state handles the same way: acknowledged writes, frames from the rooms, the
    // heartbeat (pinging a quiet client only once it is served), the socket going away.
    private bool Always(object message, bool ping)
    {
        switch (message)
        {
            case AckedWriter.Ack:
                _writer.OnAck();
                return true;
            case ClientTransport.Send s:
                Enqueue(s.Frame);
                return true;
            case HeartbeatTick:
                OnHeartbeat(ping);
                return true;
            case SocketConnection.Closed c:
                OnSocketClosed(c);
                return true;
            default:
                return false;
        }
    }

    private void ToProtocol(object message)
    {
        if (!_protocol.OnReply(message))
            Unhandled(message);
    }

    private void OnSocketClosed(SocketConnection.Closed c)
    {
        Log.Info("Connection from {Remote} ({Name}) closed: {Reason}", Remote, _protocol.Name, c.Cause);
        Context.Stop(Self);
    }

    // One read from the socket: its frames are handled, then its buffer goes back and the next read
    // starts (not before: an actor that is behind reads nothing more, and TCP holds the client back).
    private void OnRead(SocketConnection.Received r, bool beforeHello)
    {
        OnReceived(r.Bytes, beforeHello);
        NextRead(r);
    }

    // A read is done with: its buffer goes back (zeroed if it held plaintext frames) and the next read starts.
    private void NextRead(SocketConnection.Received r)
    {
        _socket.Release(r, _layer is PlainFrameLayer);
        _socket.ResumeReading();
    }

    // Quiet for a heartbeat interval: ping (a live client answers with a pong, which counts as heard).
    // Quiet for the idle timeout: the client or its network is gone; close so its name and memory free up.
    private void OnHeartbeat(bool ping)
    {
        var quiet = TimeSpan.FromTicks(NowTicks() - _lastHeardTicks);
        if (quiet >= _settings.IdleTimeout)
            Close(ErrorCodes.IdleTimeout, $"nothing heard for {quiet.TotalSeconds:0} s", "idle timeout");
        else if (quiet >= _settings.HeartbeatInterval && ping)
            Send(new Ping(++_pingNonce));
    }

    private void OnReceived(ReadOnlySpan<byte> data, bool beforeHello)
    {
        _lastHeardTicks = NowTicks();
        var limit = _decoder.MaxFrameSize;
        var wasReady = _layer.IsReady;
        if (!_layer.TryOpen(data, out var bytes, out var problem))
        {
            var code = wasReady ? ErrorCodes.BadFrame : ErrorCodes.UnsupportedVersion;
            Close(code, wasReady ? $"bad input: {problem}" : problem, $"frame layer: {problem}");
            return;
        }
        if (_layer.TakeOutbound() is { } answer && !_writer.TryEnqueue(answer))
        {
            Close(ErrorCodes.Overloaded, "too far behind", "frame layer answer did not fit the outbound queue");
            return;
        }
        if (!wasReady && _layer.IsReady)
            ChannelReady();
        var status = _decoder.Feed(bytes, _frames);
        if (!_budget.Account(_decoder.BufferCapacity + _layer.BufferedBytes))
        {
            _frames.Clear();
            Close(ErrorCodes.Overloaded, "the server holds too many incomplete frames right now; try again later", "frame buffer budget exhausted");
            return;
        }
        // The hello may be accepted mid-read: the rest of the read then waits for the claim, ahead of
        // anything stashed later. A close drops the rest.
        for (var i = 0; i < _frames.Count && !_writer.Closing; i++)
        {
            if (beforeHello && i > 0)
            {
                var rest = _frames.GetRange(i, _frames.Count - i);
                _frames.Clear();
                if (HoldAfterHello(rest))
                    break;
                return;
            }
            if (beforeHello)
                OnFrameBeforeHello(_frames[i]);
            else
                OnFrame(_frames[i]);
        }
        _frames.Clear();
        if (status != FrameDecodeStatus.Ok && !_writer.Closing)
        {
            var code = status == FrameDecodeStatus.TooLarge ? ErrorCodes.FrameTooLarge : ErrorCodes.BadFrame;
            var when = beforeHello ? " before hello" : "";
            Close(code, $"frame rejected: {status} (maximum {limit} bytes{when})", $"framing: {status}{when}");
        }
    }

    private void OnFrameBeforeHello(byte[] payload)
    {
        if (Decode(payload) is not { } message)
            return;
        if (message is Hello hello)
            _protocol.OnHello(hello);
        else
            Close(ErrorCodes.NotAuthenticated, "say hello first", $"{message.GetType().Name} before hello");
    }

    private void OnFrame(byte[] payload)
    {
        switch (Decode(payload))
        {
            case null: return;
            case Ping ping: Send(new Pong(ping.Nonce)); return;
            case Pong: return;
            case { } message: _protocol.OnMessage(message); return;
        }
    }

    private WireMessage? Decode(byte[] payload)
    {
        if (WireCodec.TryDecode(payload, out var message, out var error))
            return message;
        Close(ErrorCodes.BadFrame, $"malformed message: {error}", $"malformed message: {error}");
        return null;
    }

    private bool HoldAfterHello(List<byte[]> rest)
    {
        if (!HoldWithinBounds(rest.Count, rest.Sum(f => (long)f.Length)))
            return false;
        Stash.Prepend([new Akka.Actor.Envelope(new HeldFrames(rest), Self)]);
        return true;
    }

    private bool Hold(int count)
    {
        _lastHeardTicks = NowTicks();
        if (!HoldWithinBounds(1, count))
            return false;
        Stash.Stash();
        return true;
    }

    // Claiming is short (one registry round trip) and an honest client waits for Welcome: whatever it
    // sends meanwhile is slack, bounded per connection and counted in the server-wide budget.
    private bool HoldWithinBounds(int reads, long bytes)
    {
        switch (_budget.Hold(reads, bytes))
        {
            case InboundBudget.HoldResult.Held:
                return true;
            case InboundBudget.HoldResult.TooMuch:
                Close(ErrorCodes.NotAuthenticated, $"wait for welcome before sending more (at most {_budget.MaxHeldBytes} bytes may wait for it)",
                    $"flooding before welcome: {_budget.HeldBytes} bytes in {_budget.HeldReads} reads");
                return false;
            default:
                Close(ErrorCodes.Overloaded, "the server holds too many incomplete frames right now; try again later", "frame buffer budget exhausted while claiming");
                return false;
        }
    }

    // IClientLink: what the protocol side may ask for.

    public void Send(WireMessage message) => Enqueue(WireCodec.EncodeFrame(message));

    public void HelloAccepted()
    {
        _decoder.MaxFrameSize = _settings.MaxFrameSize;
        Become(Claiming);
    }

    public void Welcomed()
    {
        Timers.Cancel("handshake");
        _budget.ReleaseHeld();
        Become(Serving);
        Stash.UnstashAll();
    }

    public void Watch(IActorRef actor) => Context.Watch(actor);

    public void Unwatch(IActorRef actor) => Context.Unwatch(actor);

    public void CloseWhenSent()
    {
        Become(Closing);
        _writer.CloseWhenDrained();
    }

    public void Close(string code, string message, string logReason)
    {
        if (_writer.Closing)
            return;
        Log.Warning("Closing connection from {Remote} ({Name}): {Reason}", Remote, _protocol.Name, logReason);
        if (_layer.IsReady)
        {
            Send(new ErrorMessage(code, message));
        }
        else
        {
            // No channel (yet): one plaintext error frame that a plaintext client can show, and nothing
            // the protocol queued meanwhile.
            _unready = null;
            _writer.TryEnqueue(WireCodec.EncodeFrame(new ErrorMessage(code, message)));
        }
        CloseWhenSent();
    }

    private void ChannelReady()
    {
        Timers.Cancel("channel");
        var unready = _unready;
        _unready = null;
        _unreadyBytes = 0;
        if (unready is not null)
            foreach (var frame in unready)
                Enqueue(frame);
    }

    private void CloseForShutdown() =>
        Close(ErrorCodes.ServerShutdown, "the server is shutting down; reconnect later or to another server", "server shutdown");

    private void Enqueue(byte[] frame)
    {
        if (!_layer.IsReady)
        {
            if (_writer.Closing)
                return;
            _unreadyBytes += frame.Length;
            if (_unreadyBytes <= MaxUnreadyBytes)
            {
                (_unready ??= []).Add(frame);
                return;
            }
        }
        else if (_writer.TryEnqueue(frame))
        {
            return;
        }
        Log.Warning("{Name} at {Remote} is too slow: {Queued} bytes queued (limit {Limit}); disconnecting",
            _protocol.Name, Remote, _writer.QueuedBytes, _writer.MaxQueueBytes);
        _socket.Abort();
        Context.Stop(Self);
    }
}
