using System.Net;
using Akka.Actor;
using Akka.Event;
using Akka.IO;
using Entice.Wire;

namespace Entice.Server;

/// <summary>
/// States: Binding -> Listening. Accepted connections get a transport child each; a transport that
/// throws is stopped (its connection closes) and nobody else is affected.
/// </summary>
internal sealed class ListenerActor : ReceiveActor
{
    private readonly ServerSettings _settings;
    private readonly IActorRef _names;
    private readonly IActorRef _rooms;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private long _accepted;

    public ListenerActor(ServerSettings settings, IActorRef names, IActorRef rooms)
    {
        _settings = settings;
        _names = names;
        _rooms = rooms;

        Receive<Tcp.Bound>(b =>
        {
            _log.Info("TCP listener bound to {Endpoint}", b.LocalAddress);
            Context.Parent.Tell(new Listener.Bound(b.LocalAddress));
        });
        Receive<Tcp.CommandFailed>(f => f.Cmd is Tcp.Bind, f =>
        {
            Context.Parent.Tell(new Listener.BindFailed(f.CauseString ?? "the address is in use or not available"));
            Context.Stop(Self);
        });
        Receive<Tcp.Connected>(c =>
        {
            var transport = Context.ActorOf(
                ClientTransport.Props(Sender, c.RemoteAddress, _settings, _names, _rooms), $"client-{++_accepted}");
            Sender.Tell(new Tcp.Register(transport));
        });
    }

    protected override void PreStart()
    {
        var address = IPAddress.Parse(_settings.Host);
        Context.System.Tcp().Tell(new Tcp.Bind(Self, new IPEndPoint(address, _settings.Port), _settings.Backlog,
            options: [TcpNoDelay.On]));
    }

    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(ex =>
    {
        _log.Warning("A client transport failed ({Error}); closing that connection only", ex.GetType().Name);
        return Directive.Stop;
    });
}
