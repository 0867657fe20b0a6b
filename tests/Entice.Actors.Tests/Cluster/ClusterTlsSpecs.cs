using System.Collections.Concurrent;
using Akka.Actor;
using Entice.Client;
using Entice.Server.Cluster;
using Entice.Tests.Support;

namespace Entice.Tests.Cluster;

/// <summary>
/// Akka.Remote between server nodes is TLS with mutual authentication on the cluster's certificate: the
/// nodes of one cluster chat as before, and a host without that certificate (another self-signed one, or
/// plaintext) can neither join nor get a single message to the cluster. Loopback only.
/// </summary>
public sealed class ClusterTlsSpecs : IAsyncDisposable
{
    // Longer than Akka's first association attempt and its retry (gated 5 s after a failure), and than a
    // join round: with validation off, an outsider is a member and its message delivered well within it.
    private static readonly TimeSpan OutsiderTries = TimeSpan.FromSeconds(8);

    private readonly TestNodes _nodes = new();
    private readonly string _store;

    public ClusterTlsSpecs() => _store = _nodes.Database();

    public ValueTask DisposeAsync() => _nodes.DisposeAsync();

    [Fact]
    public async Task Two_nodes_on_tls_carry_a_room_conversation_and_a_direct_message()
    {
        var a = await Node();
        var b = await Node(a);
        Assert.Equal(("akka.ssl.tcp", "akka.ssl.tcp"), (a.Address.Protocol, b.Address.Protocol));

        var alice = await _nodes.Client("alice", a.Endpoint).ReadyAsync();
        var bob = await _nodes.Client("bob", b.Endpoint).ReadyAsync();
        await alice.View.NextAsync<MemberJoinedEvent>(j => j.Name == "bob");
        await bob.View.NextAsync<MemberJoinedEvent>(j => j.Name == "alice");

        alice.Type("over tls from node a");
        Assert.Equal(["over tls from node a"], await bob.View.TextsAsync(1));
        bob.Type("/msg alice only you, from node b");
        var direct = await alice.View.NextAsync<MessageEvent>();
        Assert.Equal(("bob", "only you, from node b", true), (direct.From, direct.Text, direct.Direct));
    }

    [Fact]
    public async Task A_node_with_another_self_signed_certificate_cannot_join_or_deliver_anything()
    {
        var a = await Node();
        var received = new ConcurrentQueue<object>();
        a.System.ActorOf(RecordingSink.Props(received), "sink");
        // Same subject as the cluster's, its own key: all an outsider can make without the cluster's file;
        // and it trusts whatever the cluster presents, so only the cluster's checks stand in its way.
        using var forged = TestCertificates.SelfSigned("entice-cluster");
        var outsider = _nodes.Server(LocalCluster.CreateOutsiderSystem(forged));

        await OutsiderTriesAsync(outsider, a.Address, a);

        Assert.Empty(received);
        await ControlAsync(a, received);
    }

    [Fact]
    public async Task A_node_without_tls_cannot_join_a_tls_cluster_or_deliver_anything()
    {
        var a = await Node();
        var received = new ConcurrentQueue<object>();
        a.System.ActorOf(RecordingSink.Props(received), "sink");
        var plaintext = _nodes.Server(LocalCluster.CreateSystem(LocalCluster.Settings(certificate: null)));
        Assert.Equal("akka.tcp", Akka.Cluster.Cluster.Get(plaintext).SelfAddress.Protocol);

        // Node a's own host and port, spoken to in plaintext.
        await OutsiderTriesAsync(plaintext, new Address("akka.tcp", a.Address.System, a.Address.Host, a.Address.Port), a);

        Assert.Empty(received);
        await ControlAsync(a, received);
    }

    /// <summary>
    /// The outsider asks to join <paramref name="target"/> and keeps sending a cluster message to its sink;
    /// all along, the cluster never lists it and the outsider never counts itself a member.
    /// </summary>
    private static async Task OutsiderTriesAsync(ActorSystem outsider, Address target, RelayNode member)
    {
        var outsiderCluster = Akka.Cluster.Cluster.Get(outsider);
        outsiderCluster.Join(target);
        var sink = outsider.ActorSelection(new RootActorPath(target) / "user" / "sink");
        var until = DateTime.UtcNow + OutsiderTries;
        while (DateTime.UtcNow < until)
        {
            sink.Tell(new RoomSpan.NotHere("from an outsider"));
            await Task.Delay(250);
            Assert.DoesNotContain(Akka.Cluster.Cluster.Get(member.System).State.Members, m => m.Address.Equals(outsiderCluster.SelfAddress));
            Assert.DoesNotContain(outsiderCluster.State.Members, m => m.Address.Equals(member.Address));
        }
    }

    // The same message from a node with the cluster's certificate arrives: the path and message were good.
    private async Task ControlAsync(RelayNode a, ConcurrentQueue<object> received)
    {
        var b = await Node(a);
        b.System.ActorSelection(new RootActorPath(a.Address) / "user" / "sink").Tell(new RoomSpan.NotHere("from a member"));
        await Eventually.HoldsAsync(() => Task.FromResult(!received.IsEmpty));
        Assert.Equal([new RoomSpan.NotHere("from a member")], received.ToArray());
    }

    private Task<RelayNode> Node(RelayNode? seed = null) => _nodes.ClusterNodeAsync(_store, seed);
}
