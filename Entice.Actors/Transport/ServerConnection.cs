using System.Net;
using Akka.Actor;
using Entice.Channels;
using Entice.Wire;

namespace Entice.Transport;

/// <summary>
/// The client's IO actor: one TCP connection to the relay over Akka.IO, inside the encrypted channel
/// (the server authenticated by a key given up front or pinned), framed, with a bounded, ack-based
/// outbound queue. It speaks in <see cref="WireMessage"/>s to its owner and knows nothing of identity
/// keys or plaintext: what it sends was end-to-end encrypted before it got here.
/// </summary>
public static class ServerConnection
{
    /// <param name="firstServer">Index in the server list to try first (a reconnect starts after the last one used).</param>
    public static Props Props(ServerLinkOptions options, IActorRef owner, int firstServer = 0) =>
        Akka.Actor.Props.Create(() => new ServerConnectionActor(options, owner, firstServer));

    /// <summary>To the connection: send this message.</summary>
    public sealed record Send(WireMessage Message);

    /// <summary>To the connection: write what is queued, then close.</summary>
    public sealed record Close;

    /// <summary>
    /// To the owner: the channel to the server at index <paramref name="ServerIndex"/> of the list is up and
    /// its key checked (<paramref name="Fingerprint"/>); frames may flow.
    /// </summary>
    public sealed record Connected(EndPoint Server, int ServerIndex, ServerFingerprint? Fingerprint = null);

    /// <summary>To the owner: none of the servers could be reached (or none spoke the channel).</summary>
    public sealed record ConnectFailed(string Reason);

    /// <summary>
    /// To the owner: the server presented another key than the one given or pinned for its address.
    /// Nothing was sent. Do not retry: stop, and show <paramref name="Reason"/> (it says how to accept the key).
    /// </summary>
    public sealed record ServerKeyRefused(string Reason);

    /// <summary>To the owner: a message from the server.</summary>
    public sealed record Received(WireMessage Message);

    /// <summary>To the owner: the connection ended (closed by us, by the server, or broken).</summary>
    public sealed record Disconnected(string Reason, bool Requested);
}
