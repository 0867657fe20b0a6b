using System.Net;
using Akka.Actor;

namespace Entice.Transport;

/// <summary>The TCP listener: binds, accepts, and gives each connection its own transport actor.</summary>
public static class Listener
{
    /// <param name="protocol">The protocol side for each accepted connection (the relay's: ClientConnection.Protocol).</param>
    public static Props Props(ClientLinkOptions settings, Func<IClientLink, IClientProtocol> protocol) =>
        Akka.Actor.Props.Create(() => new Sockets.SocketListenerActor(settings, protocol));

    public sealed record Bound(EndPoint Endpoint);

    public sealed record BindFailed(string Reason);

    /// <summary>Stop accepting and tell every connected client that the server is shutting down.</summary>
    public sealed record Stop;

    /// <summary>To the parent, after <see cref="Stop"/>: every client connection is closed.</summary>
    public sealed record Drained;

    /// <summary>Answered with the listening <see cref="System.Net.Sockets.Socket"/>; Nobody while unbound. For tests.</summary>
    public sealed record GetSocket;

    /// <summary>Answered with the <see cref="FrameBudget"/> every connection's incomplete frames count against.</summary>
    public sealed record GetFrameBudget;
}
