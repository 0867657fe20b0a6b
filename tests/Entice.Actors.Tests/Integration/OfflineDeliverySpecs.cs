using Akka.Actor;
using Entice.Client;
using Entice.Tests.Support;

namespace Entice.Tests.Integration;

/// <summary>Messages for members who are away wait on the server, on disk, and arrive exactly once.</summary>
public sealed class OfflineDeliverySpecs : IAsyncDisposable
{
    private readonly TestNodes _nodes = new();
    private readonly string _data;

    public OfflineDeliverySpecs() => _data = _nodes.Dir("entice-test-data-");

    [Fact]
    public async Task Messages_for_an_away_member_survive_a_server_restart_and_arrive_once_in_order_and_are_reported_delivered()
    {
        var (server, endpoint) = await StartServerAsync(0);
        var alice = await _nodes.Client("alice", endpoint).ReadyAsync();
        var bobKeys = _nodes.Dir();
        var bob = await _nodes.Client("bob", endpoint, keyDir: bobKeys).ReadyAsync();
        await alice.View.NextAsync<MemberJoinedEvent>(j => j.Name == "bob");
        bob.EndInput();
        Assert.Equal(0, await bob.Exit.WaitAsync(TimeSpan.FromSeconds(15)));
        await bob.System.Terminate();
        await alice.View.NextAsync<MemberAwayEvent>(a => a.Name == "bob");

        alice.Type("one");
        alice.Type("two");
        alice.Type("three");
        alice.Type("/msg bob four");
        for (var i = 0; i < 4; i++)
            await alice.View.NextAsync<SentEvent>(); // the server has them on disk

        await server.Terminate();
        var (_, again) = await StartServerAsync(endpoint.Port);
        await alice.View.NextAsync<ReconnectedEvent>(timeout: TimeSpan.FromSeconds(20));
        var bobAgain = _nodes.Client("bob", again, keyDir: bobKeys);

        var got = new List<MessageEvent>();
        for (var i = 0; i < 4; i++)
            got.Add(await bobAgain.View.NextAsync<MessageEvent>(timeout: TimeSpan.FromSeconds(20)));
        Assert.Equal(["one", "two", "three", "four"], got.Select(m => m.Text));
        Assert.Equal([false, false, false, true], got.Select(m => m.Direct));
        for (var i = 0; i < 4; i++)
            Assert.Equal("bob", (await alice.View.NextAsync<DeliveredEvent>(timeout: TimeSpan.FromSeconds(20))).To);
        var extra = await bobAgain.View.DrainAsync(TimeSpan.FromSeconds(2));
        Assert.DoesNotContain(extra, e => e is MessageEvent or ErrorEvent);
    }

    [Fact]
    public async Task A_member_who_never_talked_to_alice_gets_her_direct_message_sent_while_he_was_away()
    {
        var (_, endpoint) = await StartServerAsync(0);
        var carolKeys = _nodes.Dir();
        var carol = await _nodes.Client("carol", endpoint, keyDir: carolKeys).ReadyAsync();
        carol.EndInput();
        await carol.Exit.WaitAsync(TimeSpan.FromSeconds(15));
        await carol.System.Terminate();

        var alice = await _nodes.Client("alice", endpoint).ReadyAsync();
        await alice.View.NextAsync<MemberAwayEvent>(a => a.Name == "carol"); // known from her keys only
        alice.Type("/msg carol welcome to the lobby");
        await alice.View.NextAsync<SentEvent>();

        var carolAgain = _nodes.Client("carol", endpoint, keyDir: carolKeys);
        var dm = await carolAgain.View.NextAsync<MessageEvent>(timeout: TimeSpan.FromSeconds(20));
        Assert.Equal(("alice", "welcome to the lobby", true), (dm.From, dm.Text, dm.Direct));
    }

    private Task<(ActorSystem System, System.Net.IPEndPoint Endpoint)> StartServerAsync(int port) => _nodes.ServerAsync(port: port, dataDir: _data);

    public ValueTask DisposeAsync() => _nodes.DisposeAsync();
}
