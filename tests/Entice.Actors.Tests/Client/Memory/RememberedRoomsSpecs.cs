using Entice.Client;
using Entice.Client.Memory;
using Entice.Tests.Support;

namespace Entice.Tests.Client.Memory;

/// <summary>With a real relay: /join and /leave are remembered, and a restart from what is remembered is back in the rooms.</summary>
public sealed class RememberedRoomsSpecs : IAsyncDisposable
{
    private readonly TestNodes _nodes = new();

    [Fact]
    public async Task Joined_rooms_are_remembered_a_left_one_forgotten_and_a_restart_is_back_in_the_others()
    {
        var (server, endpoint) = await LocalNodes.StartServerAsync(dataDir: _nodes.Dir("entice-test-data-"));
        _nodes.Server(server);
        var aliceKeys = _nodes.Dir();
        var alice = _nodes.Client("alice", endpoint, keyDir: aliceKeys, memory: new ClientMemory("alice", [], []));
        await alice.View.NextAsync<ReadyEvent>();
        alice.Type("/join games");
        await alice.View.NextAsync<RoomEnteredEvent>(r => r.Room == "games");
        alice.Type("/join work");
        await alice.View.NextAsync<RoomEnteredEvent>(r => r.Room == "work");
        await Eventually.HoldsAsync(() => Task.FromResult(Rooms(aliceKeys).SequenceEqual(["lobby", "games", "work"])));

        alice.Type("/leave games");
        await alice.View.NextAsync<RoomExitedEvent>(r => r.Room == "games");
        await Eventually.HoldsAsync(() => Task.FromResult(Rooms(aliceKeys).SequenceEqual(["lobby", "work"])));
        Assert.DoesNotContain("hello", File.ReadAllText(ClientMemory.PathIn(aliceKeys)), StringComparison.Ordinal);
        alice.EndInput();
        Assert.Equal(0, await alice.Exit.WaitAsync(TimeSpan.FromSeconds(15)));
        await alice.System.Terminate();

        // Bob waits in work; alice starts again from what she remembered, as `entice` with no arguments does.
        var bob = _nodes.Client("bob", endpoint, room: "work");
        await bob.View.NextAsync<ReadyEvent>();
        var remembered = ClientMemory.Load(aliceKeys)!;
        var layers = UserConfig.Load(null, userFile: Path.Combine(aliceKeys, "absent.conf"));
        var rooms = RememberedStart.Rooms(null, layers, remembered, "lobby");
        Assert.Equal(["lobby", "work"], rooms);
        var again = _nodes.Client("alice", endpoint, keyDir: aliceKeys, room: rooms[0], memory: remembered);
        foreach (var room in rooms.Skip(1))
            again.Type("/join " + room);
        Assert.Equal("lobby", (await again.View.NextAsync<ReadyEvent>()).Room);
        await again.View.NextAsync<RoomEnteredEvent>(r => r.Room == "work");
        await bob.View.NextAsync<MemberJoinedEvent>(j => j.Room == "work" && j.Name == "alice");
        again.Type("hello in work");
        var got = await bob.View.NextAsync<MessageEvent>();
        Assert.Equal(("work", "hello in work"), (got.Room, got.Text));
        var events = await again.View.DrainAsync(TimeSpan.FromMilliseconds(500));
        Assert.DoesNotContain(events, e => e is RoomEnteredEvent { Room: "games" });
        Assert.Equal(["lobby", "work"], Rooms(aliceKeys));
    }

    private static List<string> Rooms(string keyDir) => ClientMemory.Load(keyDir)?.Rooms.ToList() ?? [];

    public ValueTask DisposeAsync() => _nodes.DisposeAsync();
}
