using Akka.Actor;
using Akka.TestKit.Xunit2;
using Entice.Server.Cluster;
using Entice.Server.Store;
using Entice.Tests.Support;

namespace Entice.Tests.Cluster;

/// <summary>
/// The janitor in a real two-node cluster on loopback: when a node leaves, the names claimed through it
/// are freed in the store, so their owners can connect through another node.
/// </summary>
public sealed class NodeJanitorSpecs : TestKit
{
    private const string ClusterConfig = StoreActors.ClusterNodeHocon;

    private readonly TempDirs _dirs = new();
    private readonly OfflineStore _store;

    public NodeJanitorSpecs() : base(ClusterConfig, "entice-janitor") => _store = OfflineStore.Open(_dirs.New("entice-test-janitor-"));

    [Fact]
    public async Task The_names_held_through_a_node_that_left_are_freed()
    {
        var cluster = Akka.Cluster.Cluster.Get(Sys);
        await cluster.JoinAsync(cluster.SelfAddress);
        Sys.ActorOf(NodeJanitor.Props(StoreActors.Start(Sys, _store)), "janitor");
        var other = ActorSystem.Create(Sys.Name, Sys.Settings.Config);
        var otherCluster = Akka.Cluster.Cluster.Get(other);
        await otherCluster.JoinAsync(cluster.SelfAddress);
        var otherNode = otherCluster.SelfAddress.ToString();
        Assert.True(_store.ClaimName("bob", Key(1), otherNode).Granted);
        Assert.True(_store.ClaimName("carol", Key(3), cluster.SelfAddress.ToString()).Granted);
        Assert.False(_store.ClaimName("bob", Key(2), cluster.SelfAddress.ToString()).Granted);

        await otherCluster.LeaveAsync();
        await other.Terminate();

        await Eventually.HoldsAsync(() => Task.FromResult(_store.ClaimName("bob", Key(2), cluster.SelfAddress.ToString()).Granted), TimeSpan.FromSeconds(30));
        Assert.False(_store.ClaimName("carol", Key(4), otherNode).Granted); // this node's names stay
    }

    private static byte[] Key(byte b) => [.. Enumerable.Repeat(b, 32)];

    protected override void AfterAll()
    {
        base.AfterAll();
        _dirs.Dispose();
    }
}
