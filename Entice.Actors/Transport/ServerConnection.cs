using System.Net;
using Akka.Actor;
using Entice.Wire;
using Entice.Client;

namespace Entice.Transport;

/// <summary>
/// The client's IO actor: one TCP connection to the relay over Akka.IO, framed, with a bounded,
/// ack-based outbound queue. It speaks in <see cref="WireMessage"/>s to its owner and knows nothing
/// of keys or plaintext: what it sends was encrypted before it got here.
/// </summary>
public static class ServerConnection
{
    /// <param name="firstServer">Index in the server list to try first (a reconnect starts after the last one used).</param>
    public static Props Props(ClientSettings settings, IActorRef owner, int firstServer = 0) =>
        Akka.Actor.Props.Create(() => new ServerConnectionActor(settings, owner, firstServer));

    /// <summary>To the connection: send this message.</summary>
    public sealed record Send(WireMessage Message);

    /// <summary>To the connection: write what is queued, then close.</summary>
    public sealed record Close;

    /// <summary>To the owner: connected to the server at index <paramref name="ServerIndex"/> of the list.</summary>
    public sealed record Connected(EndPoint Server, int ServerIndex);

    /// <summary>To the owner: none of the servers could be reached.</summary>
    public sealed record ConnectFailed(string Reason);

    /// <summary>To the owner: a message from the server.</summary>
    public sealed record Received(WireMessage Message);

    /// <summary>To the owner: the connection ended (closed by us, by the server, or broken).</summary>
    public sealed record Disconnected(string Reason, bool Requested);
}
