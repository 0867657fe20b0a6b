using System.Net;
using Akka.Actor;

namespace Entice.Transport;

/// <summary>
/// The actor that owns one client's TCP connection (the socket side): framing, a bounded outbound queue
/// with acknowledged writes, the heartbeat and idle timeout, the frame budget, and the connection's
/// states. What the client says is handled by an <see cref="IClientProtocol"/> it drives (the relay's:
/// Server/Connections/ClientProtocol). Everything else about the client lives in its member actors, one per room.
/// </summary>
public static class ClientTransport
{
    /// <param name="socket">The accepted socket: the transport owns it from now on.</param>
    /// <param name="protocol">Makes the protocol side for this connection.</param>
    /// <param name="refuse">Over the connection limit: say "overloaded" and close.</param>
    /// <param name="budget">The memory all connections may hold in incomplete frames (null: unbounded, for tests).</param>
    /// <param name="layer">Between TCP bytes and frames, owned by the transport (null: <see cref="PlainFrameLayer"/>).</param>
    internal static Props Props(System.Net.Sockets.Socket socket, EndPoint remote, ClientLinkOptions settings, Func<IClientLink, IClientProtocol> protocol,
        bool refuse = false, FrameBudget? budget = null, IFrameLayer? layer = null) =>
        Akka.Actor.Props.Create(() => new ClientTransportActor(socket, remote, settings, protocol, refuse, budget, layer ?? PlainFrameLayer.Instance));

    /// <summary>One or more whole encoded frames, back to back, to write to this client (a room hands a burst as one).</summary>
    public sealed record Send(byte[] Frame);

    /// <summary>The server is stopping: tell the client, send what is queued, close.</summary>
    public sealed record Shutdown;
}
