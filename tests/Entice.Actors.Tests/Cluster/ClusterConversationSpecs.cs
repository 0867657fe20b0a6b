using Entice.Client;
using Entice.Tests.Support;
using Entice.Wire;

namespace Entice.Tests.Cluster;

/// <summary>Clients on different server nodes of one cluster, as users on a campus LAN would be.</summary>
public sealed class ClusterConversationSpecs : IAsyncLifetime
{
    private readonly List<IAsyncDisposable> _clients = [];
    private readonly List<RelayNode> _nodes = [];
    private string _store = "";

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var c in _clients)
            await c.DisposeAsync();
        foreach (var n in _nodes)
            await n.System.Terminate();
    }

    [Fact]
    public async Task Alice_on_one_node_and_bob_on_another_chat_in_a_room_and_directly()
    {
        var a = await Node();
        var b = await Node(a);
        var alice = Start("alice", a);
        await alice.View.NextAsync<ReadyEvent>();
        var bob = Start("bob", b);
        await bob.View.NextAsync<ReadyEvent>();
        await alice.View.NextAsync<MemberJoinedEvent>(j => j.Name == "bob");
        await bob.View.NextAsync<MemberJoinedEvent>(j => j.Name == "alice");

        alice.Type("hello from node a");
        Assert.Equal(("alice", "hello from node a"), Said(await bob.View.NextAsync<MessageEvent>()));
        bob.Type("and back from node b");
        Assert.Equal(("bob", "and back from node b"), Said(await alice.View.NextAsync<MessageEvent>()));

        var carol = Start("carol", b);
        await carol.View.NextAsync<ReadyEvent>();
        await alice.View.NextAsync<MemberJoinedEvent>(j => j.Name == "carol");
        alice.Type("/msg bob just for you");
        var direct = await bob.View.NextAsync<MessageEvent>();
        Assert.Equal(("just for you", true), (direct.Text, direct.Direct));
        alice.Type("for everyone");
        Assert.Equal("for everyone", (await carol.View.NextAsync<MessageEvent>()).Text);
        Assert.Equal("for everyone", (await bob.View.NextAsync<MessageEvent>()).Text);
        Assert.DoesNotContain(await carol.View.DrainAsync(TimeSpan.FromMilliseconds(500)), e => e is MessageEvent m && m.Text == "just for you");
    }

    private static (string, string) Said(MessageEvent m) => (m.From, m.Text);

    private async Task<RelayNode> Node(RelayNode? seed = null)
    {
        var node = await LocalCluster.StartNodeAsync(_store, seed);
        _nodes.Add(node);
        return node;
    }

    private TestClient Start(string name, RelayNode node, params RelayNode[] more)
    {
        var client = LocalNodes.StartClient(name, node.Endpoint, morePorts: more.Select(n => n.Port).ToArray());
        _clients.Add(client);
        return client;
    }
}
