using Akka.Actor;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using Entice.Server;
using Entice.Server.Rooms;
using Entice.Tests.Support;
using Entice.Transport;
using Entice.Wire;
using Xunit.Abstractions;

namespace Entice.Tests.Server;

/// <summary>
/// The relay's line per room-wide envelope (issue 13) is written at most once per relay-log interval
/// (issue 17: under light load every burst is one envelope, and a log event per envelope was a large
/// part of the relay's CPU): envelopes routed one by one within the interval come out as one Info event
/// with all their lines in order; with the interval at 0 each burst has its own event; a room that stops
/// writes what is pending.
/// </summary>
public sealed class RoomRelayLogSpecs(ITestOutputHelper output) : TestKit("akka.loglevel = INFO", output)
{
    [Fact]
    public async Task Envelopes_routed_one_by_one_within_the_interval_are_written_as_one_event_in_order()
    {
        var (room, alice, bob, log) = await RoomOfTwo(TimeSpan.FromSeconds(3));
        for (ulong i = 1; i <= 5; i++)
            await RouteAlone(room, alice, bob, i); // each its own burst: bob has it before the next is routed

        // Nothing is stopped or flushed by the spec: the interval's timer writes them.
        var relayed = await NextRelayed(log);
        Assert.Equal(Enumerable.Range(1, 5).Select(Line), relayed);
        await log.FishUntilNoRelayed();
    }

    [Fact]
    public async Task With_the_interval_at_zero_each_burst_is_its_own_event()
    {
        var (room, alice, bob, log) = await RoomOfTwo(TimeSpan.Zero);
        for (ulong i = 1; i <= 3; i++)
        {
            await RouteAlone(room, alice, bob, i);
            Assert.Equal([Line((int)i)], await NextRelayed(log));
        }
    }

    [Fact]
    public async Task A_room_that_stops_writes_its_pending_lines()
    {
        var (room, alice, bob, log) = await RoomOfTwo(TimeSpan.FromHours(1));
        await RouteAlone(room, alice, bob, 1);
        await RouteAlone(room, alice, bob, 2);
        await WatchAsync(room);
        Sys.Stop(room);
        await ExpectTerminatedAsync(room);

        Assert.Equal([Line(1), Line(2)], await NextRelayed(log));
    }

    [Fact]
    public async Task Pending_lines_past_the_cap_are_written_at_once()
    {
        var (room, alice, _, log) = await RoomOfTwo(TimeSpan.FromHours(1));
        for (ulong i = 1; i <= 600; i++)
            room.Tell(new Room.Route(new Envelope("lobby", "alice", "", i, false, [1, 2, 3])), alice.Ref);

        // Written long before the interval: the first event holds the first lines, in order, up to the cap.
        var relayed = await NextRelayed(log);
        Assert.True(relayed.Sum(l => l.Length + 1) - 1 >= RoomActorCap, $"{relayed.Length} lines");
        Assert.True(relayed.Length < 600);
        Assert.Equal(Enumerable.Range(1, relayed.Length).Select(i => $"Relayed envelope {i} from alice to room lobby (1 members): 3 B 010203…"), relayed);
    }

    private const int RoomActorCap = 32 * 1024;

    private static string Line(int id) => $"Relayed envelope {id} from alice to room lobby (1 members): 3 B {id:x2}0203…";

    private async Task<(IActorRef Room, TestProbe Alice, TestProbe Bob, TestProbe Log)> RoomOfTwo(TimeSpan interval)
    {
        using var alice = new TestIdentity("alice");
        using var bob = new TestIdentity("bob");
        var room = Sys.ActorOf(Room.Props("lobby", new ServerSettings { RelayLogInterval = interval }, store: null), "lobby");
        var aliceTransport = CreateTestProbe();
        var bobTransport = CreateTestProbe();
        room.Tell(new Room.Join("lobby", alice.Member, aliceTransport.Ref));
        await aliceTransport.ExpectMsgAsync<Room.Joined>();
        room.Tell(new Room.Join("lobby", bob.Member, bobTransport.Ref));
        await bobTransport.ExpectMsgAsync<Room.Joined>();
        var log = CreateTestProbe();
        Sys.EventStream.Subscribe(log.Ref, typeof(Akka.Event.Info));
        return (room, aliceTransport, bobTransport, log);
    }

    private static async Task RouteAlone(IActorRef room, TestProbe alice, TestProbe bob, ulong id)
    {
        room.Tell(new Room.Route(new Envelope("lobby", "alice", "", id, false, [(byte)id, 2, 3])), alice.Ref);
        await bob.FishForMessageAsync<ClientTransport.Send>(
            s => Frames.DecodeAll(s.Frame).OfType<Envelope>().Any(e => e.Id == id), TimeSpan.FromSeconds(10));
    }

    // The next Info event of relay lines, split into its lines.
    private static async Task<string[]> NextRelayed(TestProbe log)
    {
        var relayed = await log.FishForMessageAsync<Akka.Event.Info>(
            i => i.Message.ToString()!.StartsWith("Relayed envelope", StringComparison.Ordinal), TimeSpan.FromSeconds(20));
        return relayed.Message.ToString()!.Split('\n');
    }
}

internal static class RelayLogProbe
{
    // No further relay lines arrive (the one event held them all).
    public static async Task FishUntilNoRelayed(this TestProbe log)
    {
        while (await log.ReceiveOneAsync(TimeSpan.FromSeconds(1)) is { } message)
            Assert.False(message is Akka.Event.Info i && i.Message.ToString()!.StartsWith("Relayed envelope", StringComparison.Ordinal), $"a second relay event: {message}");
    }
}
