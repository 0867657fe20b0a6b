using Entice.Server.Store;
using Akka.Actor;
using Entice.Client;
using Entice.Server;
using Entice.Wire;
using Entice.Tests.Support;

namespace Entice.Tests.Integration;

/// <summary>
/// /leave and --once (LeaveOnExit) end a membership for good on a real relay with a store: the room
/// stops listing the member as away, keeps nothing for them, and forgets them on disk. A client that
/// just goes (no --once) stays a member, away: the contrast that shows what leaving changes.
/// </summary>
public sealed class LeavingForGoodSpecs : IAsyncDisposable
{
    private readonly TestNodes _nodes = new();
    private readonly string _data;

    public LeavingForGoodSpecs() => _data = _nodes.Dir("entice-test-data-");

    [Fact]
    public async Task A_client_that_just_ends_stays_a_member_away_and_messages_are_kept_for_it()
    {
        var (_, endpoint, alice) = await StartAsync();
        var bob = await BobAsync(endpoint, once: false);
        bob.EndInput();
        Assert.Equal(0, await bob.Exit.WaitAsync(TimeSpan.FromSeconds(15)));
        await alice.View.NextAsync<MemberAwayEvent>(a => a.Name == "bob");
        alice.Type("kept for bob");
        Assert.Equal(1, (await alice.View.NextAsync<SentEvent>()).Recipients);
        Assert.Contains("bob", StoredMembers());
    }

    [Fact]
    public async Task Once_leaves_every_room_at_the_end_of_input_so_nothing_is_kept_for_it()
    {
        var (_, endpoint, alice) = await StartAsync();
        var bob = await BobAsync(endpoint, once: true);
        bob.Type("/join games");
        await bob.View.NextAsync<RoomEnteredEvent>(r => r.Room == "games");
        bob.Chat.Tell(new ChatClient.UserLine("bye all", "lobby"), ActorRefs.NoSender);
        await alice.View.NextAsync<MessageEvent>(m => m.Text == "bye all");
        bob.EndInput();
        Assert.Equal(0, await bob.Exit.WaitAsync(TimeSpan.FromSeconds(15)));
        await alice.View.NextAsync<MemberLeftEvent>(l => l.Room == "lobby" && l.Name == "bob");
        await AssertGoneAsync(endpoint, alice);
    }

    [Fact]
    public async Task Leave_ends_the_membership_for_good_even_when_the_client_goes_on_running_and_then_ends()
    {
        var (_, endpoint, alice) = await StartAsync();
        var bob = await BobAsync(endpoint, once: false);
        bob.Type("/join games");
        await bob.View.NextAsync<RoomEnteredEvent>(r => r.Room == "games");
        bob.Type("/leave lobby");
        Assert.Equal("lobby", (await bob.View.NextAsync<RoomExitedEvent>()).Room);
        await alice.View.NextAsync<MemberLeftEvent>(l => l.Room == "lobby" && l.Name == "bob");
        bob.EndInput();
        Assert.Equal(0, await bob.Exit.WaitAsync(TimeSpan.FromSeconds(15)));
        await AssertGoneAsync(endpoint, alice);
    }

    private async Task<(ActorSystem Server, System.Net.IPEndPoint Endpoint, TestClient Alice)> StartAsync()
    {
        var (server, endpoint) = await LocalNodes.StartServerAsync(dataDir: _data);
        _nodes.Server(server);
        var alice = _nodes.Client("alice", endpoint);
        await alice.View.NextAsync<ReadyEvent>();
        return (server, endpoint, alice);
    }

    private async Task<TestClient> BobAsync(System.Net.IPEndPoint endpoint, bool once)
    {
        var bob = _nodes.Client("bob", endpoint, adjust: s => s with { LeaveOnExit = once });
        await bob.View.NextAsync<ReadyEvent>();
        return bob;
    }

    // Nobody keeps bob: alice's next message has no recipient, a newcomer hears of no bob away, and the
    // room's store no longer lists him.
    private async Task AssertGoneAsync(System.Net.IPEndPoint endpoint, TestClient alice)
    {
        alice.Type("anyone still here?");
        Assert.Equal(ErrorCodes.NoSuchMember, (await alice.View.NextAsync<ErrorEvent>()).Code);
        var carol = _nodes.Client("carol", endpoint);
        await carol.View.NextAsync<ReadyEvent>();
        carol.Type("hello alice"); // goes once carol's roster is complete: what the room told her is in by then
        await alice.View.NextAsync<MessageEvent>(m => m.Text == "hello alice");
        Assert.DoesNotContain(await carol.View.DrainAsync(TimeSpan.FromMilliseconds(300)), e => e is MemberAwayEvent { Name: "bob" } or MemberJoinedEvent { Name: "bob" });
        Assert.DoesNotContain("bob", StoredMembers());
    }

    private List<string> StoredMembers()
    {
        using var store = OfflineStore.Open(_data);
        return store.Members("lobby").Select(m => m.Name).ToList();
    }

    public ValueTask DisposeAsync() => _nodes.DisposeAsync();
}
