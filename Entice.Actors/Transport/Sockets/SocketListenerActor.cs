using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using Akka.Event;

namespace Entice.Transport.Sockets;

/// <summary>
/// The server's TCP listener, over System.Net.Sockets. It binds a socket and runs an accept loop
/// (<see cref="Socket.AcceptAsync(CancellationToken)"/> on the pool) that hands each accepted socket to this
/// actor as a message; each gets a transport child that owns it from then on (<see cref="ClientTransport"/>,
/// with a <see cref="SocketConnection"/>). Past max-connections a connection is told "overloaded"; a
/// transport that throws is stopped alone; a listening socket that fails is bound again after a pause;
/// Stop tells every client first and closes the socket once they have gone.
/// States: Resolving (only when the host is a name: looked up without blocking a thread; none found is a
/// bind failure naming it) -> Listening.
/// </summary>
internal sealed class SocketListenerActor : ReceiveActor, IWithTimers
{
    private sealed record Rebind;

    private sealed record TrimMemory;

    private sealed record Accepted(Socket Socket);

    private sealed record ListenFailed(Socket Listening, string Cause);

    private sealed record Resolved(IPAddress[] Addresses);

    private sealed record ResolveFailed(string Cause);

    private readonly ClientLinkOptions _settings;
    private readonly Func<IClientLink, IClientProtocol> _protocol;
    private readonly FrameBudget _budget;
    private readonly MemoryTrimCounter _trim;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private Socket? _listening;
    private EndPoint? _boundTo;
    private bool _stopping;
    private long _accepted;
    private int _live;

    public SocketListenerActor(ClientLinkOptions settings, Func<IClientLink, IClientProtocol> protocol)
    {
        _protocol = protocol;
        _budget = new FrameBudget(settings.FrameBufferBudget);
        _trim = new MemoryTrimCounter(settings);
        _settings = settings;
        if (settings.ListenEndpoint() is null)
            Resolving();
        else
            Listening();
    }

    private void Resolving()
    {
        Receive<Resolved>(r =>
        {
            if (_stopping)
                return;
            if (ClientLinkOptions.ListenAddress(r.Addresses) is not { } address)
            {
                Fail($"the host name '{_settings.Host}' has no address");
                return;
            }
            Become(Listening);
            Bind(new IPEndPoint(address, _settings.Port));
        });
        Receive<ResolveFailed>(f =>
        {
            if (!_stopping)
                Fail($"the host name '{_settings.Host}' cannot be resolved: {f.Cause}");
        });
        Receive<Listener.Stop>(_ =>
        {
            _stopping = true;
            FinishStopping();
        });
        Receive<Listener.GetSocket>(_ => Sender.Tell(ActorRefs.Nobody));
        Receive<Listener.GetFrameBudget>(_ => Sender.Tell(_budget));
    }

    private void Listening()
    {
        Receive<Accepted>(a => OnAccepted(a.Socket));
        Receive<ListenFailed>(f =>
        {
            if (!ReferenceEquals(f.Listening, _listening))
                return;
            f.Listening.Dispose();
            _listening = null;
            if (_stopping)
                return;
            // The accepted connections live on: only new ones wait for the socket.
            _log.Warning("The TCP listener on {Endpoint} failed ({Cause}); binding it again", _boundTo, f.Cause);
            Timers.StartSingleTimer("rebind", new Rebind(), TimeSpan.FromMilliseconds(200));
        });
        Receive<Terminated>(_ =>
        {
            _live--;
            ConnectionsChanged();
            if (_stopping && _live == 0)
                FinishStopping();
        });
        Receive<Rebind>(_ => Bind(_boundTo!));
        Receive<TrimMemory>(_ => _trim.Run(_log, _live));
        Receive<Listener.Stop>(_ =>
        {
            _stopping = true;
            foreach (var transport in Context.GetChildren())
                transport.Tell(new ClientTransport.Shutdown());
            if (_live == 0)
                FinishStopping();
        });
        Receive<Listener.GetSocket>(_ => Sender.Tell((object?)_listening ?? ActorRefs.Nobody));
        Receive<Listener.GetFrameBudget>(_ => Sender.Tell(_budget));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    protected override void PreStart()
    {
        if (_settings.ListenEndpoint() is { } endpoint)
            Bind(endpoint);
        else
            Dns.GetHostAddressesAsync(_settings.Host).PipeTo(Self, success: a => new Resolved(a), failure: e => new ResolveFailed(e.Message));
    }

    private void Fail(string reason)
    {
        Context.Parent.Tell(new Listener.BindFailed(reason));
        Context.Stop(Self);
    }

    protected override void PostStop()
    {
        _listening?.Dispose();
        _listening = null;
    }

    private void Bind(EndPoint endpoint)
    {
        var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            // A restarted server takes its port back while old connections linger in TIME_WAIT.
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            socket.Bind(endpoint);
            socket.Listen(_settings.Backlog);
        }
        catch (SocketException e)
        {
            socket.Dispose();
            if (_boundTo is null)
            {
                Fail(e.Message);
                return;
            }
            _log.Warning("Re-binding {Endpoint} failed ({Cause}); trying again", _boundTo, e.Message);
            Timers.StartSingleTimer("rebind", new Rebind(), TimeSpan.FromSeconds(1));
            return;
        }
        var first = _boundTo is null;
        _listening = socket;
        _boundTo = socket.LocalEndPoint!;
        _log.Info("TCP listener bound to {Endpoint}", _boundTo);
        if (first)
            Context.Parent.Tell(new Listener.Bound(_boundTo));
        _ = AcceptLoopAsync(socket, Self);
    }

    // On the pool: each accepted socket to the actor, until the socket is closed or fails.
    private static async Task AcceptLoopAsync(Socket listening, IActorRef self)
    {
        while (true)
        {
            try
            {
                self.Tell(new Accepted(await listening.AcceptAsync().ConfigureAwait(false)));
            }
            catch (ObjectDisposedException)
            {
                // Closed by the listener itself (stopping: it no longer counts it as its socket) or under it.
                self.Tell(new ListenFailed(listening, "the socket was closed"));
                return;
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionAborted or SocketError.ConnectionReset)
            {
                // that client gave up before we took it: the next one
            }
            catch (SocketException e)
            {
                self.Tell(new ListenFailed(listening, e.Message));
                return;
            }
        }
    }

    private void OnAccepted(Socket socket)
    {
        EndPoint remote;
        try
        {
            socket.NoDelay = true; // every small chat frame would otherwise wait on Nagle plus delayed ACK (~40 ms)
            remote = socket.RemoteEndPoint!;
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            socket.Dispose(); // gone before we looked at it
            return;
        }
        var refuse = _live >= _settings.MaxConnections || _stopping;
        if (refuse)
            _log.Warning("Refusing a connection from {Remote}: {Live} connections (max {Max})", remote, _live, _settings.MaxConnections);
        var transport = Context.ActorOf(
            ClientTransport.Props(socket, remote, _settings, _protocol, refuse, _budget, _settings.NewLayer()), $"client-{++_accepted}");
        Context.Watch(transport);
        _live++;
        ConnectionsChanged();
    }

    private void ConnectionsChanged()
    {
        if (_trim.Changed())
            Timers.StartSingleTimer("trim", new TrimMemory(), _settings.MemoryTrimWhenQuietFor); // restarted by each change: quiet for
    }

    private void FinishStopping()
    {
        _listening?.Dispose();
        _listening = null;
        Context.Parent.Tell(new Listener.Drained());
    }

    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(ex =>
    {
        _log.Warning("A client transport failed ({Error}); closing that connection only", ex.GetType().Name);
        return Directive.Stop;
    });
}
