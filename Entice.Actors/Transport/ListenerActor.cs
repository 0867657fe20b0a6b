using System.Net;
using Akka.Actor;
using Akka.Event;
using Akka.IO;
using Entice.Wire;

namespace Entice.Transport;

/// <summary>
/// The listener over Akka.IO (entice.server.transport = akka-io; <see cref="Sockets.SocketListenerActor"/> is the other).
/// States: Binding -> Listening -> (socket lost: Binding again, with a pause) ; Stopping on shutdown.
/// Accepted connections get a transport child each; a transport that throws is stopped (its connection
/// closes) and nobody else is affected. Past max-connections a connection is told "overloaded".
/// </summary>
internal sealed class ListenerActor : ReceiveActor, IWithTimers
{
    private sealed record Rebind;

    private sealed record TrimMemory;

    private readonly ClientLinkOptions _settings;
    private readonly Func<IClientLink, IClientProtocol> _protocol;
    private readonly FrameBudget _budget;
    private readonly MemoryTrimCounter _trim;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private IActorRef? _socket;
    private EndPoint? _boundTo;
    private bool _stopping;
    private long _accepted;
    private int _live;

    public ListenerActor(ClientLinkOptions settings, Func<IClientLink, IClientProtocol> protocol)
    {
        _protocol = protocol;
        _budget = new FrameBudget(settings.FrameBufferBudget);
        _trim = new MemoryTrimCounter(settings);
        _settings = settings;

        Receive<Tcp.Bound>(b =>
        {
            _socket = Sender;
            Context.Watch(_socket);
            var first = _boundTo is null;
            _boundTo = b.LocalAddress;
            _log.Info("TCP listener bound to {Endpoint}", b.LocalAddress);
            if (first)
                Context.Parent.Tell(new Listener.Bound(b.LocalAddress));
        });
        Receive<Tcp.CommandFailed>(f => f.Cmd is Tcp.Bind, f =>
        {
            if (_boundTo is null)
            {
                Context.Parent.Tell(new Listener.BindFailed(f.CauseString ?? "the address is in use or not available"));
                Context.Stop(Self);
                return;
            }
            _log.Warning("Re-binding {Endpoint} failed ({Cause}); trying again", _boundTo, f.CauseString);
            Timers.StartSingleTimer("rebind", new Rebind(), TimeSpan.FromSeconds(1));
        });
        Receive<Tcp.Connected>(c =>
        {
            var refuse = _live >= _settings.MaxConnections || _stopping;
            if (refuse)
                _log.Warning("Refusing a connection from {Remote}: {Live} connections (max {Max})", c.RemoteAddress, _live, _settings.MaxConnections);
            var transport = Context.ActorOf(
                ClientTransport.Props(Sender, c.RemoteAddress, _settings, _protocol, refuse, _budget, _settings.NewLayer()), $"client-{++_accepted}");
            Context.Watch(transport);
            _live++;
            Sender.Tell(new Tcp.Register(transport));
            ConnectionsChanged();
        });
        Receive<Terminated>(t => t.ActorRef.Equals(_socket), _ =>
        {
            _socket = null;
            if (_stopping)
                return;
            // The listening socket died under us. Akka.IO ends its accepted connections with it (they are
            // its children), so clients reconnect; binding the same address again lets them.
            _log.Warning("The TCP listener on {Endpoint} stopped; binding it again", _boundTo);
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
            // Unbinding ends Akka.IO's accepted connections at once (they are the listening socket's
            // children), so the clients are told first and the socket goes only when they have gone.
            _stopping = true;
            foreach (var transport in Context.GetChildren())
                transport.Tell(new ClientTransport.Shutdown());
            if (_live == 0)
                FinishStopping();
        });
        Receive<Listener.GetSocket>(_ => Sender.Tell(_socket ?? ActorRefs.Nobody));
        Receive<Listener.GetFrameBudget>(_ => Sender.Tell(_budget));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    // See MemoryTrim: once a wave of connections is over.
    private void ConnectionsChanged()
    {
        if (_trim.Changed())
            Timers.StartSingleTimer("trim", new TrimMemory(), _settings.MemoryTrimWhenQuietFor); // restarted by each change: quiet for
    }

    private void FinishStopping()
    {
        _socket?.Tell(Tcp.Unbind.Instance);
        Context.Parent.Tell(new Listener.Drained());
    }

    protected override void PreStart()
    {
        Bind(_settings.ListenEndpoint());
    }

    private void Bind(EndPoint endpoint) =>
        Context.System.Tcp().Tell(new Tcp.Bind(Self, endpoint, _settings.Backlog, options: [TcpNoDelay.On]));

    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(ex =>
    {
        _log.Warning("A client transport failed ({Error}); closing that connection only", ex.GetType().Name);
        return Directive.Stop;
    });
}
