using System.Net;
using Akka.Actor;
using Entice.Server;
using Entice.Server.Store;

namespace Entice.Transport;

/// <summary>
/// The actor that owns one client's TCP connection: framing, the handshake, and a bounded outbound
/// queue. Everything else about the client lives in its member actors, one per room.
/// </summary>
public static class ClientTransport
{
    /// <param name="refuse">Over the connection limit: say "overloaded" and close.</param>
    /// <param name="budget">The memory all connections may hold in incomplete frames (null: unbounded, for tests).</param>
    public static Props Props(IActorRef connection, EndPoint remote, ServerSettings settings, IActorRef names, IActorRef rooms,
        bool refuse = false, IActorRef? store = null, FrameBudget? budget = null) =>
        Akka.Actor.Props.Create(() => new ClientTransportActor(connection, remote, settings, names, rooms, refuse, store, budget));

    /// <summary>An encoded frame to write to this client.</summary>
    public sealed record Send(byte[] Frame);

    /// <summary>The server is stopping: tell the client, send what is queued, close.</summary>
    public sealed record Shutdown;
}
