using System.Net;
using Akka.Actor;

namespace Entice.Server;

/// <summary>
/// The actor that owns one client's TCP connection: framing, the handshake, and a bounded outbound
/// queue. Everything else about the client lives in its sessions, one per room.
/// </summary>
public static class ClientTransport
{
    public static Props Props(IActorRef connection, EndPoint remote, ServerSettings settings, IActorRef names, IActorRef rooms) =>
        Akka.Actor.Props.Create(() => new ClientTransportActor(connection, remote, settings, names, rooms));

    /// <summary>An encoded frame to write to this client.</summary>
    public sealed record Send(byte[] Frame);
}
