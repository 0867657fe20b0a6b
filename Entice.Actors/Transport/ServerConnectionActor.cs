using System.Net;
using Akka.Actor;
using Akka.Event;
using Akka.IO;
using Entice.Wire;
using Entice.Client;

namespace Entice.Transport;

/// <summary>
/// States (Become):
/// <code>
///   Connecting ──Tcp.Connected──▶ Connected ──Close──▶ Closing ──closed──▶ Done (stopped)
///     │ every server failed: ConnectFailed      │ dropped, malformed, too slow: Disconnected
///     └──────────────▶ Done ◀───────────────────┘
/// </code>
/// Connecting tries each server of the list in turn. Done has told the owner once and ignores the rest.
/// Received bytes go through the frame decoder; a malformed frame from the server ends the connection
/// (the server is untrusted too). Outbound frames go through an <see cref="AckedWriter"/>.
/// </summary>
internal sealed class ServerConnectionActor : ReceiveActor
{
    private readonly ClientSettings _settings;
    private readonly IActorRef _owner;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly FrameDecoder _decoder;
    private readonly AckedWriter _writer;
    private readonly List<byte[]> _frames = [];
    private readonly List<string> _failures = [];
    private IActorRef? _connection;
    private int _attempts;
    private int _serverIndex;

    public ServerConnectionActor(ClientSettings settings, IActorRef owner, int firstServer)
    {
        _serverIndex = Math.Abs(firstServer) % settings.Servers.Count;
        _settings = settings;
        _owner = owner;
        _decoder = new FrameDecoder(settings.MaxFrameSize);
        _writer = new AckedWriter(settings.MaxOutboundQueueBytes);
        Connecting();
    }

    protected override void PreStart() => TryNextServer();

    private void TryNextServer()
    {
        var server = _settings.Servers[_serverIndex];
        // An address is connected to as an address: Akka's resolver would look an IP literal up in reverse
        // DNS first, and on a LAN with no DNS (a hotspot with no internet, a namespace) that fails.
        System.Net.EndPoint target = System.Net.IPAddress.TryParse(server.Host, out var ip) ? new System.Net.IPEndPoint(ip, server.Port) : server;
        Context.System.Tcp().Tell(new Tcp.Connect(target, options: [TcpNoDelay.On], timeout: _settings.ConnectTimeout));
    }

    private void Connecting()
    {
        Receive<Tcp.Connected>(c =>
        {
            _connection = Sender;
            Context.Watch(_connection);
            _connection.Tell(new Tcp.Register(Self));
            _owner.Tell(new ServerConnection.Connected(c.RemoteAddress, _serverIndex));
            Become(Connected);
            _writer.Attach(_connection);
        });
        Receive<Tcp.CommandFailed>(f =>
        {
            var server = _settings.Servers[_serverIndex];
            _failures.Add($"{server.Host}:{server.Port}");
            _log.Info("Connecting to {Host}:{Port} failed: {Cause}", server.Host, server.Port, f.CauseString);
            if (++_attempts < _settings.Servers.Count)
            {
                _serverIndex = (_serverIndex + 1) % _settings.Servers.Count;
                TryNextServer();
                return;
            }
            _owner.Tell(new ServerConnection.ConnectFailed($"cannot reach the server at {string.Join(", ", _failures)} (refused, unreachable or timed out); is it running, and is the address right?"));
            Become(Done);
            Context.Stop(Self);
        });
        Receive<ServerConnection.Send>(s => _writer.TryEnqueue(WireCodec.EncodeFrame(s.Message)));
        Receive<ServerConnection.Close>(_ => Context.Stop(Self));
    }

    private void Connected()
    {
        Open();
        Receive<ServerConnection.Close>(_ =>
        {
            _writer.CloseWhenDrained();
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
        Receive<Tcp.Received>(r =>
        {
            var status = _decoder.Feed(r.Data.ToReadOnlySpan(), _frames);
            foreach (var payload in _frames)
            {
                if (!WireCodec.TryDecode(payload, out var message, out var error))
                {
                    _frames.Clear();
                    Drop($"the server sent a malformed message ({error})");
                    return;
                }
                _owner.Tell(new ServerConnection.Received(message));
            }
            _frames.Clear();
            if (status != FrameDecodeStatus.Ok)
                Drop($"the server sent a bad frame ({status})");
        });
        Receive<ServerConnection.Send>(s =>
        {
            if (!_writer.TryEnqueue(WireCodec.EncodeFrame(s.Message)))
                Drop("the connection to the server is too slow: outbound queue full");
        });
        Receive<AckedWriter.Ack>(_ => _writer.OnAck());
        Receive<Tcp.CommandFailed>(f => Drop($"write failed ({f.CauseString})"));
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
