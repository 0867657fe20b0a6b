using Akka.Actor;

namespace Entice.Server;

/// <summary>
/// Who holds which name. A name belongs to one live connection at a time and is freed when that
/// connection's transport actor stops. Alone, a node decides by itself; in a cluster the shared store
/// decides, so a name is unique across every node.
/// </summary>
public static class NameRegistry
{
    /// <param name="claims">The cluster-wide claims and this node's address in them; null on a lone node.</param>
    public static Props Props(SharedClaims? claims = null) => Akka.Actor.Props.Create(() => new NameRegistryActor(claims));

    /// <summary>Name claims kept in the store every node shares, under this node's address.</summary>
    public sealed record SharedClaims(OfflineStore Store, string Node);

    /// <summary>
    /// Asks for <paramref name="Name"/> on behalf of <paramref name="Owner"/> (a transport actor) whose
    /// client proved it holds <paramref name="Identity"/> (its Ed25519 public key).
    /// </summary>
    public sealed record Claim(string Name, byte[] Identity, IActorRef Owner);

    public sealed record Claimed(string Name);

    public sealed record Refused(string Name);

    /// <summary>
    /// From the node where <paramref name="Name"/> was claimed again by the same identity: the client
    /// reconnected there, so its connection here is stale.
    /// </summary>
    public sealed record Evict(string Name, byte[] Identity) : Cluster.IClusterMessage;

    /// <summary>To a transport: the same identity connected again (here or on another node); close this one.</summary>
    public sealed record Replaced(string Name);
}
