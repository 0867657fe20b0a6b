using Entice.Client;
using Entice.Tests.Support;
using Entice.Wire;

namespace Entice.Tests.Cluster;

/// <summary>
/// Clients on different server nodes of one cluster, as users on a campus LAN would be. The nodes share
/// one real PostgreSQL database (a fresh one per test), as a deployed cluster does.
/// </summary>
public sealed class ClusterConversationSpecs : IAsyncDisposable
{
    private readonly TestNodes _nodes = new();
    private readonly string _store;

    public ClusterConversationSpecs() => _store = _nodes.Database();

    public ValueTask DisposeAsync() => _nodes.DisposeAsync();

    [Fact]
    public async Task Alice_on_one_node_and_bob_on_another_chat_in_a_room_and_directly()
    {
        var a = await Node();
        var b = await Node(a);
        var alice = await Start("alice", a).ReadyAsync();
        var bob = await Start("bob", b).ReadyAsync();
        await alice.View.NextAsync<MemberJoinedEvent>(j => j.Name == "bob");
        await bob.View.NextAsync<MemberJoinedEvent>(j => j.Name == "alice");

        alice.Type("hello from node a");
        Assert.Equal(("alice", "hello from node a"), Said(await bob.View.NextAsync<MessageEvent>()));
        bob.Type("and back from node b");
        Assert.Equal(("bob", "and back from node b"), Said(await alice.View.NextAsync<MessageEvent>()));

        var carol = await Start("carol", b).ReadyAsync();
        await alice.View.NextAsync<MemberJoinedEvent>(j => j.Name == "carol");
        alice.Type("/msg bob just for you");
        var direct = await bob.View.NextAsync<MessageEvent>();
        Assert.Equal(("just for you", true), (direct.Text, direct.Direct));
        alice.Type("for everyone");
        Assert.Equal("for everyone", (await carol.View.NextAsync<MessageEvent>()).Text);
        Assert.Equal("for everyone", (await bob.View.NextAsync<MessageEvent>()).Text);
        Assert.DoesNotContain(await carol.View.DrainAsync(TimeSpan.FromMilliseconds(500)), e => e is MessageEvent m && m.Text == "just for you");
    }

    [Fact]
    public async Task A_name_is_unique_across_the_cluster()
    {
        var a = await Node();
        var b = await Node(a);
        var alice = await Start("alice", a).ReadyAsync();

        var impostor = Start("alice", b); // another key directory: another identity under the same name
        Assert.Equal(ErrorCodes.NameOwned, (await impostor.View.NextAsync<ErrorEvent>()).Code);
        Assert.Equal(2, await impostor.Exit.WaitAsync(TimeSpan.FromSeconds(15)));
    }

    [Fact]
    public async Task When_a_node_leaves_its_clients_move_to_another_and_nothing_is_lost_or_doubled()
    {
        var a = await Node();
        var b = await Node(a);
        var alice = await Start("alice", a, b).ReadyAsync();
        var bob = await Start("bob", b, a).ReadyAsync();
        await alice.View.NextAsync<MemberJoinedEvent>(j => j.Name == "bob");
        await bob.View.NextAsync<MemberJoinedEvent>(j => j.Name == "alice");
        alice.Type("before");
        Assert.Equal("before", (await bob.View.NextAsync<MessageEvent>()).Text);

        var leaving = LocalCluster.LeaveAsync(a);
        alice.Type("while moving 1");
        bob.Type("bob while alice moves");
        await alice.View.NextAsync<DisconnectedEvent>();
        alice.Type("while moving 2");
        await leaving.WaitAsync(TimeSpan.FromSeconds(30));
        await alice.View.NextAsync<ReconnectedEvent>(timeout: TimeSpan.FromSeconds(20));
        alice.Type("after");

        Assert.Equal(["while moving 1", "while moving 2", "after"], await bob.View.TextsAsync(3));
        Assert.Equal(["bob while alice moves"], await alice.View.TextsAsync(1));
        Assert.DoesNotContain(await bob.View.DrainAsync(TimeSpan.FromSeconds(2)), e => e is MessageEvent);
        Assert.DoesNotContain(await alice.View.DrainAsync(TimeSpan.FromMilliseconds(200)), e => e is MessageEvent);
    }

    [Fact]
    public async Task When_a_node_is_killed_its_clients_move_on_and_what_was_in_flight_to_it_is_kept()
    {
        // Three nodes (with two, the split-brain resolver could not tell a crash from a partition); the
        // one that dies is a real server process, killed with SIGKILL.
        var b = await Node();
        await Node(b);
        using var a = await ServerProcess.StartClusterNodeAsync(b, _store);
        var alice = await _nodes.Client("alice", new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, a.Port), morePorts: [b.Port]).ReadyAsync();
        var bob = await Start("bob", b).ReadyAsync();
        await alice.View.NextAsync<MemberJoinedEvent>(j => j.Name == "bob");
        await bob.View.NextAsync<MemberJoinedEvent>(j => j.Name == "alice");
        bob.Type("/msg alice before");
        Assert.Equal(["before"], await alice.View.TextsAsync(1));

        a.Kill();
        bob.Type("/msg alice into the crash"); // node b still believes alice is on node a
        await alice.View.NextAsync<DisconnectedEvent>();
        alice.Type("/msg bob from wherever I land");
        await alice.View.NextAsync<ReconnectedEvent>(timeout: TimeSpan.FromSeconds(20));
        bob.Type("/msg alice after");

        Assert.Equal(["after", "into the crash"], (await alice.View.TextsAsync(2)).Order(StringComparer.Ordinal).ToList()); // either order: one of them waited
        Assert.Equal(["from wherever I land"], await bob.View.TextsAsync(1));
        Assert.DoesNotContain(await alice.View.DrainAsync(TimeSpan.FromSeconds(3)), e => e is MessageEvent);
    }

    [Fact]
    public async Task Messages_sent_the_moment_a_new_node_joins_are_not_lost_in_the_pub_sub_gossip_window()
    {
        // Pub-sub registries gossip every 5 s here (1 s by default), so the window in which node a
        // does not know that node b's room exists (and b not a's) is wide open when both write.
        const string slowGossip = "akka.cluster.pub-sub.gossip-interval = 5s";
        var a = await Node(config: slowGossip);
        var alice = await Start("alice", a).ReadyAsync();
        var bob = await Start("bob", a).ReadyAsync();
        await alice.View.NextAsync<MemberJoinedEvent>(j => j.Name == "bob");
        bob.EndInput();
        Assert.Equal(0, await bob.Exit.WaitAsync(TimeSpan.FromSeconds(15)));
        await alice.View.NextAsync<MemberAwayEvent>(e => e.Name == "bob");

        var b = await Node(a, config: slowGossip);
        var bobAgain = await Start("bob", b, keyDir: bob.KeyDir).ReadyAsync();
        bobAgain.Type("bob, the moment he is back");
        alice.Type("alice, at the same moment");

        Assert.Equal(["alice, at the same moment"], await bobAgain.View.TextsAsync(1));
        Assert.Equal(["bob, the moment he is back"], await alice.View.TextsAsync(1));
        Assert.DoesNotContain(await bobAgain.View.DrainAsync(TimeSpan.FromSeconds(2)), e => e is MessageEvent or ErrorEvent);
        Assert.DoesNotContain(await alice.View.DrainAsync(TimeSpan.FromMilliseconds(200)), e => e is MessageEvent or ErrorEvent);
    }

    private static (string, string) Said(MessageEvent m) => (m.From, m.Text);

    private Task<RelayNode> Node(RelayNode? seed = null, string config = "") => _nodes.ClusterNodeAsync(_store, seed, config);

    private TestClient Start(string name, RelayNode node, RelayNode? next = null, string? keyDir = null) =>
        _nodes.Client(name, node.Endpoint, keyDir: keyDir, morePorts: next is null ? null : [next.Port]);
}
