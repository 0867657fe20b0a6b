using System.Net;
using Akka.Actor;
using Akka.Event;
using Akka.IO;
using Entice.Channels;
using Entice.Wire;

namespace Entice.Transport;

/// <summary>
/// States (Become):
/// <code>
///   Connecting ─Tcp.Connected─▶ Handshaking ─channel up─▶ Verifying ─key ok─▶ Connected ─Close─▶ Closing ─▶ Done
///     │ every server failed         │ plaintext server, refusal,  │ changed key:          │ dropped, malformed,
///     │ ConnectFailed               │ timeout, bad handshake:     │ ServerKeyRefused      │ too slow: Disconnected
///     └────────────▶ Done ◀─────────┴─ ConnectFailed ◀────────────┴───────────────────────┘
/// </code>
/// The pins (servers.pins) are read first, on a pool thread. Connecting tries each server of the list in
/// turn. Handshaking runs the channel's initiator, which itself requires the key given up front for the
/// address or else the pinned one: another key is refused before the client's last handshake message.
/// Verifying pins a first-contact key (or a given one that replaces the pin) on a pool thread, never
/// this one. Nothing the owner sends leaves before the key is checked. Done has told the owner once.
/// Received bytes go through the channel then the frame decoder; a bad record or frame from the server
/// ends the connection (the server is untrusted too). Outbound frames go through an
/// <see cref="AckedWriter"/> that seals each write batch.
/// </summary>
internal sealed class ServerConnectionActor : ReceiveActor, IWithTimers
{
    private sealed record ChannelDeadline;

    private sealed record PinVerdict(ServerPinCheck? Check, string? Problem);

    private sealed record PinsLoaded(ServerPins? Pins, string? Problem);

    /// <summary>The first bytes kept to tell a plaintext server's frame from the channel's answer.</summary>
    private const int SniffBytes = 4096;

    private readonly ServerLinkOptions _options;
    private readonly IActorRef _owner;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly FrameDecoder _decoder;
    private readonly List<byte[]> _frames = [];
    private readonly List<string> _failures = [];
    private readonly List<WireMessage> _early = [];
    private readonly List<byte[]> _pending = [];
    private long _pendingBytes;
    private readonly List<byte> _sniff = [];
    private NoiseFrameLayer? _layer;
    private ServerPins? _pins;
    private AckedWriter? _writer;
    private IActorRef? _connection;
    private EndPoint? _remote;
    private int _attempts;
    private int _serverIndex;

    public ServerConnectionActor(ServerLinkOptions options, IActorRef owner, int firstServer)
    {
        _serverIndex = Math.Abs(firstServer) % options.Servers.Count;
        _options = options;
        _owner = owner;
        _decoder = new FrameDecoder(options.MaxFrameSize);
        Connecting();
    }

    public ITimerScheduler Timers { get; set; } = null!;

    private DnsEndPoint Server => _options.Servers[_serverIndex];

    private string ServerText => ServerTarget.KeyOf(Server);

    // The pins are read first (a pool thread): the handshake itself then refuses a key other than the
    // pinned one, before the client says anything more than its first message.
    protected override void PreStart()
    {
        var directory = _options.PinDirectory;
        if (directory.Length == 0)
        {
            TryNextServer();
            return;
        }
        Task.Run(() => ServerPins.Load(directory))
            .PipeTo(Self, success: p => new PinsLoaded(p, null), failure: ex => new PinsLoaded(null, (ex.InnerException ?? ex).Message));
    }

    /// <summary>The key the handshake requires of this server: given up front, else pinned, else none (first contact).</summary>
    private ServerFingerprint? Expected => _options.ExpectedKey(Server) ?? _pins?.Get(Server);

    protected override void PostStop() => _layer?.Dispose();

    private void TryNextServer()
    {
        var server = Server;
        // An address is connected to as an address: Akka's resolver would look an IP literal up in reverse
        // DNS first, and on a LAN with no DNS (a hotspot with no internet, a namespace) that fails.
        EndPoint target = IPAddress.TryParse(server.Host, out var ip) ? new IPEndPoint(ip, server.Port) : server;
        Context.System.Tcp().Tell(new Tcp.Connect(target, options: [TcpNoDelay.On], timeout: _options.ConnectTimeout));
    }

    private void Connecting()
    {
        Receive<Tcp.Connected>(c =>
        {
            _connection = Sender;
            _remote = c.RemoteAddress;
            Context.Watch(_connection);
            _connection.Tell(new Tcp.Register(Self));
            _layer = new NoiseFrameLayer(ChannelHandshake.Initiator(_options.Channel, Expected));
            _writer = new AckedWriter(_options.MaxOutboundQueueBytes, _layer);
            _writer.Attach(_connection);
            _writer.TryEnqueue(_layer.Start());
            Timers.StartSingleTimer("channel", new ChannelDeadline(), _options.Channel.HandshakeTimeout);
            Become(Handshaking);
        });
        Receive<Tcp.CommandFailed>(f =>
        {
            _log.Info("Connecting to {Host}:{Port} failed: {Cause}", Server.Host, Server.Port, f.CauseString);
            TryNextOrFail($"{ServerText} (refused, unreachable or timed out)");
        });
        Receive<PinsLoaded>(p =>
        {
            if (p.Pins is null)
            {
                _owner.Tell(new ServerConnection.ConnectFailed($"cannot read the server key pins: {p.Problem}"));
                Become(Done);
                Context.Stop(Self);
                return;
            }
            _pins = p.Pins;
            TryNextServer();
        });
        Receive<ServerConnection.Send>(s => Hold(s.Message));
        Receive<ServerConnection.Close>(_ => Context.Stop(Self));
    }

    private void Handshaking()
    {
        Receive<Tcp.Received>(r => OnHandshakeBytes(r.Data));
        Receive<ChannelDeadline>(_ => FailChannel($"{ServerText} did not complete the channel handshake within {_options.Channel.HandshakeTimeout.TotalSeconds:0.#} s (is it an Entice server?)"));
        Receive<AckedWriter.Ack>(_ => _writer!.OnAck());
        Receive<ServerConnection.Send>(s => Hold(s.Message));
        Receive<ServerConnection.Close>(_ => Context.Stop(Self));
        Receive<Tcp.ConnectionClosed>(_ => FailChannel(PlaintextVerdict() ?? $"{ServerText} closed the connection during the channel handshake"));
        Receive<Terminated>(_ => FailChannel($"{ServerText}: connection lost during the channel handshake"));
        Receive<Tcp.CommandFailed>(f => FailChannel($"{ServerText}: write failed ({f.CauseString})"));
    }

    // The channel is up; the key is being checked against the pin. What arrives meanwhile waits.
    private void Verifying()
    {
        Receive<PinVerdict>(OnPinVerdict);
        Receive<Tcp.Received>(r => OnRecords(r.Data, _early));
        Receive<AckedWriter.Ack>(_ => _writer!.OnAck());
        Receive<ServerConnection.Send>(s => Hold(s.Message));
        Receive<ServerConnection.Close>(_ => Context.Stop(Self));
        Receive<Tcp.ConnectionClosed>(c => Report(DescribeClose(c), requested: false));
        Receive<Terminated>(_ => Report("connection lost", requested: false));
        Receive<Tcp.CommandFailed>(f => Drop($"write failed ({f.CauseString})"));
    }

    private void Connected()
    {
        Open();
        Receive<ServerConnection.Close>(_ =>
        {
            _writer!.CloseWhenDrained();
            Become(Closing);
        });
        Receive<Tcp.ConnectionClosed>(c => Report(DescribeClose(c), requested: false));
        Receive<Terminated>(_ => Report("connection lost", requested: false));
    }

    // Close was asked for: what is queued is written, then the connection closes.
    private void Closing()
    {
        Open();
        Receive<ServerConnection.Close>(_ => { });
        Receive<Tcp.ConnectionClosed>(_ => Report("closed", requested: true));
        Receive<Terminated>(_ => Report("connection lost", requested: true));
    }

    // The owner was told how it ended; nothing more is sent or reported.
    private void Done() => ReceiveAny(_ => { });

    // What Connected and Closing share: frames in, frames out.
    private void Open()
    {
        Receive<Tcp.Received>(r => OnRecords(r.Data, null));
        Receive<ServerConnection.Send>(s =>
        {
            if (!_writer!.TryEnqueue(WireCodec.EncodeFrame(s.Message)))
                Drop("the connection to the server is too slow: outbound queue full");
        });
        Receive<AckedWriter.Ack>(_ => _writer!.OnAck());
        Receive<Tcp.CommandFailed>(f => Drop($"write failed ({f.CauseString})"));
    }

    private void OnHandshakeBytes(ByteString data)
    {
        var bytes = data.ToReadOnlySpan();
        if (_sniff.Count < SniffBytes)
            _sniff.AddRange(bytes[..Math.Min(bytes.Length, SniffBytes - _sniff.Count)].ToArray());
        // A plaintext server speaks first (its ServerHello or an error): a whole plaintext frame is told
        // apart at once (the channel's answer starts with a length no frame has).
        if (PlaintextVerdict() is { } plaintext)
        {
            FailChannel(plaintext);
            return;
        }
        if (!_layer!.TryOpen(bytes, out var frames, out var problem))
        {
            if (_layer.Failure?.Kind == ChannelFailure.ServerKeyMismatch && _layer.PresentedKey is { } presented)
            {
                var given = _options.ExpectedKey(Server);
                RefuseKey(given is not null
                    ? $"SERVER KEY MISMATCH: the server at {ServerText} presented key {presented}, but --server gave {given}. "
                      + "Someone on the network may be posing as the server. Nothing was sent. Check the fingerprint the server printed at start."
                    : new ServerPinCheck(ServerPinStatus.Changed, ServerText, presented, _pins?.Get(Server)).Message);
                return;
            }
            FailChannel($"{ServerText}: the channel handshake failed ({problem})");
            return;
        }
        if (_layer.TakeOutbound() is { } answer)
            _writer!.TryEnqueue(answer);
        if (!_layer.IsReady)
            return;
        Timers.Cancel("channel");
        _sniff.Clear();
        if (!Decode(frames, _early))
            return;
        Become(Verifying);
        StartPinCheck(_layer.PeerFingerprint!);
    }

    private void StartPinCheck(ServerFingerprint presented)
    {
        var pins = _pins;
        var expected = _options.ExpectedKey(Server);
        var server = Server;
        if (pins is null)
        {
            Self.Tell(new PinVerdict(new ServerPinCheck(ServerPinStatus.Same, ServerText, presented, expected), null));
            return;
        }
        // Blocking file I/O: on a pool thread (only it touches the pins until it answers); the answer comes back as a message.
        Task.Run(() =>
        {
            if (expected is not null)
            {
                // Given up front (and the handshake proved it): that is the deliberate way to accept a new key.
                var before = pins.Get(server);
                if (!expected.Equals(before))
                    pins.Accept(server, expected);
                return new ServerPinCheck(before is null ? ServerPinStatus.New : ServerPinStatus.Same, ServerTarget.KeyOf(server), presented, before);
            }
            return pins.Check(server, presented);
        }).PipeTo(Self, success: c => new PinVerdict(c, null), failure: ex => new PinVerdict(null, (ex.InnerException ?? ex).Message));
    }

    private void OnPinVerdict(PinVerdict v)
    {
        if (v.Check is null)
        {
            FailChannel($"cannot check the key of {ServerText}: {v.Problem}");
            return;
        }
        if (v.Check.Status == ServerPinStatus.Changed)
        {
            RefuseKey(v.Check.Message);
            return;
        }
        if (v.Check.Status == ServerPinStatus.New)
            _log.Info("{Message}", v.Check.Message);
        _owner.Tell(new ServerConnection.Connected(_remote!, _serverIndex, _layer!.PeerFingerprint));
        foreach (var m in _early)
            _owner.Tell(new ServerConnection.Received(m));
        _early.Clear();
        Become(Connected);
        foreach (var frame in _pending)
        {
            if (!_writer!.TryEnqueue(frame))
            {
                Drop("the connection to the server is too slow: outbound queue full");
                return;
            }
        }
        _pending.Clear();
    }

    private void OnRecords(ByteString data, List<WireMessage>? hold)
    {
        if (!_layer!.TryOpen(data.ToReadOnlySpan(), out var frames, out var problem))
        {
            Drop($"the channel from the server broke ({problem})");
            return;
        }
        Decode(frames, hold);
    }

    // Frames to messages: to the owner, or held (while the key is checked). False: the connection was dropped.
    private bool Decode(ReadOnlySpan<byte> bytes, List<WireMessage>? hold)
    {
        var status = _decoder.Feed(bytes, _frames);
        foreach (var payload in _frames)
        {
            if (!WireCodec.TryDecode(payload, out var message, out var error))
            {
                _frames.Clear();
                Drop($"the server sent a malformed message ({error})");
                return false;
            }
            if (hold is null)
                _owner.Tell(new ServerConnection.Received(message));
            else
                hold.Add(message);
        }
        _frames.Clear();
        if (status == FrameDecodeStatus.Ok)
            return true;
        Drop($"the server sent a bad frame ({status})");
        return false;
    }

    private void Hold(WireMessage message)
    {
        var frame = WireCodec.EncodeFrame(message);
        _pendingBytes += frame.Length;
        if (_pendingBytes > _options.MaxOutboundQueueBytes)
            return; // the queue would refuse it too; the connection is not up yet, the owner resends what is unacknowledged
        _pending.Add(frame);
    }

    // What a plaintext server said, as the reason to give up on it; null while it looks like the channel.
    private string? PlaintextVerdict()
    {
        if (_sniff.Count < FrameEncoder.LengthPrefixBytes)
            return null;
        var decoder = new FrameDecoder(Math.Min(_options.MaxFrameSize, SniffBytes));
        var frames = new List<byte[]>();
        decoder.Feed(_sniff.ToArray(), frames);
        if (frames.Count == 0 || !WireCodec.TryDecode(frames[0], out var message, out _))
            return null;
        return message is ErrorMessage e
            ? $"the server at {ServerText} refused the connection: {e.Code}: {Printable(e.Message)}"
            : $"the server at {ServerText} speaks the old plaintext protocol (an old server, or one run with entice.server.channel.enabled = off); "
              + "this client only talks to a server through the encrypted channel";
    }

    private static string Printable(string text)
    {
        var kept = new string([.. text.Where(c => !char.IsControl(c)).Take(300)]);
        return kept.Length == 0 ? "(no reason given)" : kept;
    }

    private void FailChannel(string reason)
    {
        _connection?.Tell(Tcp.Abort.Instance);
        _log.Warning("No channel to {Server}: {Reason}", ServerText, reason);
        if (_connection is not null)
            Context.Unwatch(_connection);
        _connection = null;
        _layer?.Dispose();
        _layer = null;
        _sniff.Clear();
        Timers.Cancel("channel");
        TryNextOrFail(reason);
    }

    private void TryNextOrFail(string failure)
    {
        _failures.Add(failure);
        if (++_attempts < _options.Servers.Count)
        {
            _serverIndex = (_serverIndex + 1) % _options.Servers.Count;
            Become(Connecting);
            TryNextServer();
            return;
        }
        _owner.Tell(new ServerConnection.ConnectFailed(_failures.All(f => f.EndsWith("(refused, unreachable or timed out)", StringComparison.Ordinal))
            ? $"cannot reach the server at {string.Join(", ", _failures.Select(f => f.Replace(" (refused, unreachable or timed out)", "", StringComparison.Ordinal)))} (refused, unreachable or timed out); is it running, and is the address right?"
            : string.Join("; ", _failures)));
        Become(Done);
        Context.Stop(Self);
    }

    private void RefuseKey(string message)
    {
        _connection?.Tell(Tcp.Abort.Instance);
        _log.Error("{Message}", message);
        _owner.Tell(new ServerConnection.ServerKeyRefused(message));
        Become(Done);
        Context.Stop(Self);
    }

    private void Drop(string reason)
    {
        _log.Warning("Dropping the connection: {Reason}", reason);
        _connection?.Tell(Tcp.Abort.Instance);
        Report(reason, requested: false);
    }

    private void Report(string reason, bool requested)
    {
        _owner.Tell(new ServerConnection.Disconnected(reason, requested));
        Become(Done);
        Context.Stop(Self);
    }

    private static string DescribeClose(Tcp.ConnectionClosed c) => c switch
    {
        Tcp.ErrorClosed e => $"connection error: {e.Cause}",
        Tcp.PeerClosed => "the server closed the connection",
        _ => "connection closed",
    };
}
