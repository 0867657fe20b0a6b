using Akka.Actor;
using Akka.Event;
using Entice.Server.Store;

namespace Entice.Server.Cluster;

/// <summary>
/// Frees the names held through a node that is gone. A node that leaves gracefully releases its own
/// names as its connections close; one that crashed cannot, so whoever sees it removed from the cluster
/// (after the split-brain resolver downed it) releases them. At start a node also clears what an
/// earlier run at the same address left behind.
/// </summary>
internal sealed class NodeJanitor : ReceiveActor
{
    public static Props Props(OfflineStore store) => Akka.Actor.Props.Create(() => new NodeJanitor(store));

    public NodeJanitor(OfflineStore store)
    {
        var cluster = Akka.Cluster.Cluster.Get(Context.System);
        var log = Context.GetLogger();
        var released = store.ReleaseNode(cluster.SelfAddress.ToString());
        if (released > 0)
            log.Info("Released {Count} names an earlier run of this node still held", released);
        cluster.Subscribe(Self, Akka.Cluster.ClusterEvent.InitialStateAsEvents, typeof(Akka.Cluster.ClusterEvent.MemberRemoved));

        Receive<Akka.Cluster.ClusterEvent.MemberRemoved>(removed =>
        {
            var count = store.ReleaseNode(removed.Member.Address.ToString());
            log.Info("Node {Node} left the cluster; released {Count} names held through it", removed.Member.Address, count);
        });
    }

    protected override void PostStop() => Akka.Cluster.Cluster.Get(Context.System).Unsubscribe(Self);
}
