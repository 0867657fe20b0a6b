using Akka.Actor;
using Entice.Client;
using Entice.Server;
using Entice.Tests.Support;
using Entice.Server.Store;

namespace Entice.Tests.Integration;

/// <summary>One-time prekeys: published by their owner, handed out once per session start, replenished.</summary>
public sealed class PrekeySpecs : IAsyncDisposable
{
    private const string SmallBatch = "entice.client { one-time-prekeys = 3, one-time-prekeys-low = 2 }";
    private readonly TestNodes _nodes = new();
    private readonly string _data;

    public PrekeySpecs() => _data = _nodes.Dir("entice-test-data-");

    [Fact]
    public async Task Each_new_session_takes_one_prekey_once_and_the_owner_tops_up_when_low()
    {
        var (server, endpoint) = await _nodes.ServerAsync(dataDir: _data);
        using var store = OfflineStore.Open(_data); // a second reader of the server's database
        var bob = await _nodes.Client("bob", endpoint, config: SmallBatch).ReadyAsync();
        await Eventually.HoldsAsync(() => Task.FromResult(store.AvailablePrekeys("bob") == 3));

        var alice = await _nodes.Client("alice", endpoint).ReadyAsync();
        await Eventually.HoldsAsync(() => Task.FromResult(store.AvailablePrekeys("bob") == 2)); // alice fetched one
        alice.Type("/msg bob first contact");
        Assert.Equal("first contact", (await bob.View.NextAsync<MessageEvent>()).Text);

        var carol = await _nodes.Client("carol", endpoint).ReadyAsync();
        await Eventually.HoldsAsync(() => Task.FromResult(store.AvailablePrekeys("bob") == 1));
        carol.Type("/msg bob hello from carol");
        Assert.Equal("hello from carol", (await bob.View.NextAsync<MessageEvent>()).Text);

        // Two of bob's three are used up: below the low-water mark, so he published a fresh batch.
        await Eventually.HoldsAsync(() => Task.FromResult(store.AvailablePrekeys("bob") == 3));
        var handedOut = new HashSet<uint>();
        for (var i = 0; i < 3; i++)
            Assert.True(handedOut.Add(store.TakePrekey("bob")!.Id)); // never one given out before
        Assert.Null(store.TakePrekey("bob"));

        // With none left, a session still starts from the signed prekey alone.
        var dave = await _nodes.Client("dave", endpoint).ReadyAsync();
        dave.Type("/msg bob no prekeys left?");
        Assert.Equal("no prekeys left?", (await bob.View.NextAsync<MessageEvent>()).Text);
    }

    // Once a flaky failure: whether alice fetched a prekey for the old bob depended on timing. Here she
    // always does, and must not use it for the new bob once she trusts his key.
    [Fact]
    public async Task A_prekey_fetched_for_a_name_is_not_used_for_the_new_identity_that_takes_it_over()
    {
        var (_, endpoint) = await _nodes.ServerAsync(dataDir: _data);
        using var store = OfflineStore.Open(_data);
        var bob = await _nodes.Client("bob", endpoint, config: SmallBatch).ReadyAsync();
        await Eventually.HoldsAsync(() => Task.FromResult(store.AvailablePrekeys("bob") == 3));
        var alice = await _nodes.Client("alice", endpoint).ReadyAsync();
        await Eventually.HoldsAsync(() => Task.FromResult(store.AvailablePrekeys("bob") == 2)); // alice holds one of old bob's
        bob.EndInput();
        await bob.Exit.WaitAsync(TimeSpan.FromSeconds(15));
        await alice.View.NextAsync<MemberAwayEvent>(l => l.Name == "bob");

        Assert.True(store.ReleaseOwnedName("bob")); // the operator releases the name (release-name)
        var newBob = await _nodes.Client("bob", endpoint, config: SmallBatch).ReadyAsync(); // a new key directory: a new identity under the same name
        await alice.View.NextAsync<KeyChangedEvent>();
        alice.Type("/trust bob");
        await alice.View.NextAsync<TrustedEvent>();
        alice.Type("welcome back");

        Assert.Equal("welcome back", (await newBob.View.NextAsync<MessageEvent>()).Text);
    }

    public ValueTask DisposeAsync() => _nodes.DisposeAsync();
}

/// <summary>A signed prekey that rotates during a long run reaches the server at the next reconnect.</summary>
public sealed class PrekeyRotationSpecs : IAsyncDisposable
{
    private readonly TestNodes _nodes = new();
    private readonly string _data;

    public PrekeyRotationSpecs() => _data = _nodes.Dir("entice-test-data-");

    [Fact]
    public async Task A_rotated_signed_prekey_is_published_when_the_client_reconnects()
    {
        var now = DateTimeOffset.UtcNow;
        var (server, endpoint) = await _nodes.ServerAsync(dataDir: _data);
        var alice = await _nodes.Client("alice", endpoint, clock: () => now).ReadyAsync();
        // The room tells the store to remember a member; the row lands shortly after the join.
        uint? PublishedPrekeyId()
        {
            using var store = OfflineStore.Open(_data);
            return store.Members("lobby").SingleOrDefault(m => m.Name == "alice")?.Identity.PrekeyId;
        }
        await Eventually.HoldsAsync(() => Task.FromResult(PublishedPrekeyId() is not null));
        var before = PublishedPrekeyId();

        now += TimeSpan.FromDays(8); // past the weekly rotation
        await server.Terminate();
        await _nodes.ServerAsync(port: endpoint.Port, dataDir: _data);
        await alice.View.NextAsync<ReconnectedEvent>(timeout: TimeSpan.FromSeconds(20));

        await Eventually.HoldsAsync(() => Task.FromResult(PublishedPrekeyId() != before));
    }

    public ValueTask DisposeAsync() => _nodes.DisposeAsync();
}
