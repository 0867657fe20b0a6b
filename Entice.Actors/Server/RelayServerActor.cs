using System.Net;
using Akka.Actor;

namespace Entice.Server;

/// <summary>
/// States: Binding (callers of AwaitBinding wait) -> Listening or Failed (callers answered at once).
/// Children: names, rooms, listener. A listener that crashes is restarted and binds again.
/// </summary>
internal sealed class RelayServerActor : ReceiveActor
{
    private readonly List<IActorRef> _waiting = [];
    private object? _outcome;

    public RelayServerActor(ServerSettings settings)
    {
        var names = Context.ActorOf(NameRegistry.Props(), "names");
        var rooms = Context.ActorOf(RoomDirectory.Props(settings), "rooms");
        Context.ActorOf(Listener.Props(settings, names, rooms), "listener");

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

    private void Settle(object outcome)
    {
        _outcome = outcome;
        foreach (var w in _waiting)
            w.Tell(outcome);
        _waiting.Clear();
    }
}
