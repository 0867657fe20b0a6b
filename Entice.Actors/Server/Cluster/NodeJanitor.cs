using Akka.Actor;
using Akka.Event;
using Entice.Server.Store;

namespace Entice.Server.Cluster;

/// <summary>
/// One state. Frees the names held through a node that is gone. A node that leaves gracefully releases
/// its own names as its connections close; one that crashed cannot, so whoever sees it removed from the
/// cluster (after the split-brain resolver downed it) releases them. (What an earlier run at the same
/// address left behind is cleared by the store as it opens, before it takes any claim.) The store does
/// the work and answers how many.
/// </summary>
internal sealed class NodeJanitor : ReceiveActor
{
    public static Props Props(IActorRef store) => Akka.Actor.Props.Create(() => new NodeJanitor(store));

    private readonly IActorRef _store;

    public NodeJanitor(IActorRef store)
    {
        _store = store;
        var log = Context.GetLogger();

        Receive<Akka.Cluster.ClusterEvent.MemberRemoved>(removed => _store.Tell(new ServerStore.ReleaseNode(removed.Member.Address.ToString())));
        Receive<ServerStore.NodeReleased>(r => log.Info("Node {Node} left the cluster; released {Count} names held through it", r.Node, r.Count));
        Receive<Status.Failure>(f => log.Warning("Could not release the names of a departed node: {Error}", f.Cause.Message));
    }

    protected override void PreStart()
    {
        Akka.Cluster.Cluster.Get(Context.System).Subscribe(Self, Akka.Cluster.ClusterEvent.InitialStateAsEvents,
            typeof(Akka.Cluster.ClusterEvent.MemberRemoved));
    }

    protected override void PostStop() => Akka.Cluster.Cluster.Get(Context.System).Unsubscribe(Self);
}
