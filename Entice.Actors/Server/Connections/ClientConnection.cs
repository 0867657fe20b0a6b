using System.Net;
using Akka.Actor;
using Entice.Transport;

namespace Entice.Server.Connections;

/// <summary>
/// A client connection as the relay runs it: the socket side (<see cref="ClientTransport"/>) driving the
/// protocol side (<see cref="ClientProtocol"/>) in one actor.
/// </summary>
public static class ClientConnection
{
    /// <summary>The protocol for each accepted connection, bound to the registry, the rooms and the store.</summary>
    public static Func<IClientLink, IClientProtocol> Protocol(ServerSettings settings, IActorRef names, IActorRef rooms, IActorRef? store) =>
        link => new ClientProtocol(link, settings, names, rooms, store);

    /// <param name="socket">An accepted socket; the connection owns it from now on.</param>
    /// <param name="refuse">Over the connection limit: say "overloaded" and close.</param>
    /// <param name="budget">The memory all connections may hold in incomplete frames (null: unbounded, for tests).</param>
    /// <remarks>Plaintext (no channel): for specs that drive the protocol with frames; the listener adds the channel.</remarks>
    internal static Props Props(System.Net.Sockets.Socket socket, EndPoint remote, ServerSettings settings, IActorRef names, IActorRef rooms,
        bool refuse = false, IActorRef? store = null, FrameBudget? budget = null) =>
        ClientTransport.Props(socket, remote, settings.LinkOptions(null), Protocol(settings, names, rooms, store), refuse, budget);
}
