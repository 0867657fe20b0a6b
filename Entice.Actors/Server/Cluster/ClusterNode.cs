using Akka.Actor;

namespace Entice.Server.Cluster;

/// <summary>Joining a server node's actor system to the others.</summary>
public static class ClusterNode
{
    /// <summary>
    /// Joins the seed nodes, or with none starts a new cluster with this node as its first member.
    /// Akka retries until a seed answers, so nodes may start in any order.
    /// </summary>
    public static void Join(ActorSystem system, ClusterSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var cluster = Akka.Cluster.Cluster.Get(system);
        if (settings.SeedNodes.Count == 0)
            cluster.Join(cluster.SelfAddress);
        else
            cluster.JoinSeedNodes(settings.SeedNodes.Select(s => Address.Parse(ClusterSettings.SeedAddress(s))));
    }
}
