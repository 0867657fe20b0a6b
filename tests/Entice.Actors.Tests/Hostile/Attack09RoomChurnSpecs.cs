using Akka.Actor;
using Entice.Server;
using Entice.Tests.Support;
using Entice.Wire;
using Entice.Server.Rooms;

namespace Entice.Tests.Hostile;

/// <summary>
/// Attack 9: one connection joins and leaves thousands of rooms (20,000: +114 MB, never released). Raw
/// attackers over real sockets against a real server: joins and leaves are rate-limited per connection,
/// and rooms nobody is connected to are stopped.
/// </summary>
public sealed class Attack09RoomChurnSpecs : IAsyncDisposable
{
    private readonly TestNodes _nodes = new();

    [Fact]
    public async Task Rooms_joined_and_left_are_stopped_once_idle()
    {
        var (server, rooms) = await StartAsync(new ServerSettings { RoomIdleTimeout = TimeSpan.FromMilliseconds(300), JoinsPerSecond = 0 });
        using var mallory = new TestIdentity("mallory");
        using var attacker = await RawClient.JoinedAsync(server, mallory);

        for (var i = 0; i < 300; i++)
        {
            await attacker.SendAsync(new JoinRoom($"room{i}"));
            await attacker.ReceiveAsync<RoomJoined>();
            await attacker.SendAsync(new LeaveRoom($"room{i}"));
        }
        await attacker.DrainAsync(TimeSpan.FromMilliseconds(300));

        await Eventually.HoldsAsync(async () => await CountAsync(rooms) == 1); // only the lobby mallory is in
    }

    [Fact]
    public async Task Joins_and_leaves_beyond_the_rate_limit_are_refused_and_start_no_room()
    {
        var (server, rooms) = await StartAsync(new ServerSettings { JoinsPerSecond = 5, JoinBurst = 20 });
        using var mallory = new TestIdentity("mallory");
        using var attacker = await RawClient.JoinedAsync(server, mallory); // one join of the burst

        for (var i = 0; i < 200; i++)
            await attacker.SendAsync(new JoinRoom($"room{i}"));

        await Eventually.HoldsAsync(async () => await CountAsync(rooms) >= 20);
        var answers = await attacker.DrainAsync(TimeSpan.FromSeconds(1));
        var limited = answers.OfType<ErrorMessage>().Where(e => e.Code == ErrorCodes.RateLimited).ToList();
        Assert.NotEmpty(limited);
        Assert.Contains("joins and leaves per second", limited[0].Message, StringComparison.Ordinal);
        Assert.InRange(answers.OfType<RoomJoined>().Count(), 19, 25); // the burst (less the lobby) and what refilled
        Assert.InRange(await CountAsync(rooms), 20, 26);
    }

    [Fact]
    public async Task A_stopped_room_comes_back_with_its_away_members_and_their_kept_messages()
    {
        var (server, rooms) = await StartAsync(new ServerSettings { RoomIdleTimeout = TimeSpan.FromMilliseconds(300) });
        using var alice = new TestIdentity("alice");
        using var bob = new TestIdentity("bob");
        using (var a = await RawClient.JoinedAsync(server, alice, "attic"))
        {
            using (var b = await RawClient.JoinedAsync(server, bob, "attic"))
                await a.ReceiveAsync<MemberJoined>();
            await a.ReceiveAsync<MemberAway>();
            await a.SendAsync(new Envelope("attic", "", "bob", 5, true, [7]));
            await a.ReceiveAsync<EnvelopeAck>();
        }
        await Eventually.HoldsAsync(async () => await CountAsync(rooms) == 0);

        using var back = await RawClient.JoinedAsync(server, bob, "attic");

        Assert.Equal("alice", (await back.ReceiveAsync<MemberAway>()).Member.Name);
        Assert.Equal([7], (await back.ReceiveAsync<StoredEnvelope>()).Envelope.Ciphertext);
    }

    private async Task<(System.Net.IPEndPoint Server, IActorRef Rooms)> StartAsync(ServerSettings settings)
    {
        var (system, endpoint) = await _nodes.ServerAsync(settings);
        var rooms = await system.ActorSelection($"/user/{RelayServer.ActorName}/rooms").ResolveOne(TimeSpan.FromSeconds(5));
        return (endpoint, rooms);
    }

    private static async Task<int> CountAsync(IActorRef rooms) =>
        (await rooms.Ask<RoomDirectory.RoomCount>(new RoomDirectory.GetRoomCount(), TimeSpan.FromSeconds(5))).Count;

    public ValueTask DisposeAsync() => _nodes.DisposeAsync();
}
