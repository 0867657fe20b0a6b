namespace Entice.Server.Cluster;

/// <summary>
/// From the node where <paramref name="Name"/> was claimed again by the same identity to the node that
/// held it: the client reconnected there, so its connection here is stale. Defined here, with the other
/// messages between nodes, so the dependency runs one way: the name registry uses the cluster's
/// vocabulary, the cluster knows nothing of the registry.
/// </summary>
public sealed record NameEviction(string Name, byte[] Identity) : IClusterMessage;
