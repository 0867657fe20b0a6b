using Entice.Client;
using Entice.Tests.Support;

namespace Entice.Tests.Integration;

/// <summary>The server goes away mid-conversation and comes back: nothing typed is lost or shown twice.</summary>
public sealed class ReconnectSpecs : IAsyncDisposable
{
    private readonly TestNodes _nodes = new();

    [Fact]
    public async Task Messages_typed_before_during_and_after_a_server_restart_arrive_exactly_once()
    {
        // The same server comes back: same data directory, so the same key and the same members.
        var data = _nodes.Dir("entice-test-data-");
        var (server, endpoint) = await _nodes.ServerAsync(dataDir: data);
        var alice = await _nodes.Client("alice", endpoint).ReadyAsync();
        var bob = await _nodes.Client("bob", endpoint).ReadyAsync();
        await alice.View.NextAsync<MemberJoinedEvent>(j => j.Name == "bob");

        alice.Type("before");
        Assert.Equal("before", (await bob.View.NextAsync<MessageEvent>()).Text);

        await server.Terminate();
        await alice.View.NextAsync<DisconnectedEvent>();
        await bob.View.NextAsync<DisconnectedEvent>();
        alice.Type("during 1");
        alice.Type("during 2");
        bob.Type("bob while down");

        await _nodes.ServerAsync(port: endpoint.Port, dataDir: data);
        await alice.View.NextAsync<ReconnectedEvent>(timeout: TimeSpan.FromSeconds(20));
        // Typed before bob is back: the room keeps it for him, an away member.
        alice.Type("after");
        await bob.View.NextAsync<ReconnectedEvent>(timeout: TimeSpan.FromSeconds(20));

        Assert.Equal(["during 1", "during 2", "after"], await bob.View.TextsAsync(3));
        Assert.Equal("bob while down", (await alice.View.NextAsync<MessageEvent>(timeout: TimeSpan.FromSeconds(20))).Text);

        // Copies sent again by a reconnecting client are dropped quietly: nothing more shows up.
        var extra = await bob.View.DrainAsync(TimeSpan.FromSeconds(3));
        extra.RemoveAll(e => e is ErrorEvent { Code: Entice.Wire.ErrorCodes.ServerShutdown });
        Assert.DoesNotContain(extra, e => e is MessageEvent or ErrorEvent);
    }

    [Fact]
    public async Task A_client_moves_to_the_next_server_in_its_list_when_its_server_goes_away()
    {
        var (first, firstEndpoint) = await _nodes.ServerAsync();
        var (_, secondEndpoint) = await _nodes.ServerAsync();
        var alice = await _nodes.Client("alice", firstEndpoint, morePorts: [secondEndpoint.Port]).ReadyAsync();
        var bob = await _nodes.Client("bob", secondEndpoint).ReadyAsync();

        await first.Terminate();

        var reconnected = await alice.View.NextAsync<ReconnectedEvent>(timeout: TimeSpan.FromSeconds(20));
        Assert.EndsWith($":{secondEndpoint.Port}", reconnected.Server, StringComparison.Ordinal);
        await alice.View.NextAsync<MemberJoinedEvent>(j => j.Name == "bob");
        alice.Type("found you");
        Assert.Equal("found you", (await bob.View.NextAsync<MessageEvent>()).Text);
    }

    [Fact]
    public async Task A_reconnect_says_reconnected_and_never_that_an_away_member_left()
    {
        var data = _nodes.Dir("entice-test-data-");
        var (server, endpoint) = await _nodes.ServerAsync(dataDir: data);
        var dave = await _nodes.Client("dave", endpoint).ReadyAsync();
        dave.EndInput();
        Assert.Equal(0, await dave.Exit.WaitAsync(TimeSpan.FromSeconds(15)));
        var alice = await _nodes.Client("alice", endpoint).ReadyAsync();
        await alice.View.NextAsync<MemberAwayEvent>(a => a.Name == "dave");

        await server.Terminate();
        await alice.View.NextAsync<DisconnectedEvent>();
        await _nodes.ServerAsync(port: endpoint.Port, dataDir: data);
        await alice.View.NextAsync<ReconnectedEvent>(timeout: TimeSpan.FromSeconds(20));

        var after = await alice.View.DrainAsync(TimeSpan.FromSeconds(3));
        Assert.DoesNotContain(after, e => e is MemberLeftEvent);
        Assert.DoesNotContain(after, e => e is MemberAwayEvent); // dave was away before and still is
        alice.Type("/who");
        Assert.Equal(["alice"], (await alice.View.NextAsync<MembersEvent>()).Members);
    }

    public ValueTask DisposeAsync() => _nodes.DisposeAsync();
}
