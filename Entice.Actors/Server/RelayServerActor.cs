using System.Net;
using Akka.Actor;

namespace Entice.Server;

/// <summary>
/// States: Binding (callers of AwaitBinding wait) -> Listening or Failed (callers answered at once).
/// Children: names, rooms, listener. On Stop the listener tells every client and closes; Stopped is
/// answered when they are gone or after the shutdown grace period.
/// </summary>
internal sealed class RelayServerActor : ReceiveActor, IWithTimers
{
    private readonly List<IActorRef> _waiting = [];
    private readonly List<IActorRef> _stopWaiters = [];
    private object? _outcome;

    public RelayServerActor(ServerSettings settings)
    {
        var names = Context.ActorOf(NameRegistry.Props(), "names");
        var rooms = Context.ActorOf(RoomDirectory.Props(settings), "rooms");
        var listener = Context.ActorOf(Listener.Props(settings, names, rooms), "listener");

        Receive<RelayServer.Stop>(_ =>
        {
            _stopWaiters.Add(Sender);
            listener.Tell(new Listener.Stop());
            Timers.StartSingleTimer("grace", new Listener.Drained(), settings.ShutdownGrace);
        });
        Receive<Listener.Drained>(_ =>
        {
            foreach (var w in _stopWaiters)
                w.Tell(new RelayServer.Stopped());
            _stopWaiters.Clear();
        });

        Receive<RelayServer.AwaitBinding>(_ =>
        {
            if (_outcome is null)
                _waiting.Add(Sender);
            else
                Sender.Tell(_outcome);
        });
        Receive<Listener.Bound>(b => Settle(new RelayServer.Started((IPEndPoint)b.Endpoint, Self)));
        Receive<Listener.BindFailed>(f => Settle(new RelayServer.BindFailed(f.Reason)));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    private void Settle(object outcome)
    {
        _outcome = outcome;
        foreach (var w in _waiting)
            w.Tell(outcome);
        _waiting.Clear();
    }
}
