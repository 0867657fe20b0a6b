using Akka.Actor;

namespace Entice.Server.Names;

/// <summary>
/// Who holds which name. A name belongs to one live connection at a time and is freed when that
/// connection's transport actor stops. Alone, a node decides by itself; in a cluster the shared store
/// decides, so a name is unique across every node. The store is asked, never called: claims for
/// different names are decided side by side.
/// </summary>
public static class NameRegistry
{
    /// <param name="store">The <see cref="Store.ServerStore"/> actor; null: no ownership, no shared claims (names live in memory).</param>
    /// <param name="claims">The cluster-wide claims under this node's address; null on a lone node.</param>
    /// <param name="ownedUnusedFor">Names belong to the identity that first claimed them, until unused this long; null: no ownership.</param>
    /// <param name="answerTimeout">How long a claim waits for the store before it is refused as "overloaded".</param>
    public static Props Props(IActorRef? store = null, SharedClaims? claims = null, TimeSpan? ownedUnusedFor = null, TimeSpan? answerTimeout = null) =>
        Akka.Actor.Props.Create(() => new NameRegistryActor(store, claims, ownedUnusedFor, answerTimeout ?? TimeSpan.FromSeconds(30)));

    /// <summary>Name claims kept in the store every node shares, under this node's address.</summary>
    public sealed record SharedClaims(string Node);

    /// <summary>
    /// Asks for <paramref name="Name"/> on behalf of <paramref name="Owner"/> (a transport actor) whose
    /// client proved it holds <paramref name="Identity"/> (its Ed25519 public key).
    /// </summary>
    public sealed record Claim(string Name, byte[] Identity, IActorRef Owner);

    public sealed record Claimed(string Name);

    /// <summary>The name is not granted; <paramref name="Code"/> and <paramref name="Message"/> say why, for the client.</summary>
    public sealed record Refused(string Name, string Code, string Message);

    /// <summary>To a transport: the same identity connected again (here or on another node); close this one.</summary>
    public sealed record Replaced(string Name);
}
