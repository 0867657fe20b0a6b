using System.Net;
using Akka.Actor;

namespace Entice.Server;

/// <summary>The TCP listener: binds, accepts, and gives each connection its own transport actor.</summary>
public static class Listener
{
    public static Props Props(ServerSettings settings, IActorRef names, IActorRef rooms) =>
        Akka.Actor.Props.Create(() => new ListenerActor(settings, names, rooms));

    public sealed record Bound(EndPoint Endpoint);

    public sealed record BindFailed(string Reason);
}
