using Akka.Actor;
using Akka.TestKit.Xunit2;
using Entice.Server;
using Entice.Tests.Support;
using Entice.Wire;
using Xunit.Abstractions;
using Entice.Server.Rooms;
using Entice.Transport;

namespace Entice.Tests.Server;

/// <summary>
/// The room directory stops rooms nobody is connected to, after their idle timeout, and a join that
/// arrives meanwhile is never lost; probes stand in for the members' transports.
/// </summary>
public sealed class RoomIdleSpecs : TestKit
{
    private readonly TestIdentity _alice = new("alice");
    private readonly TestIdentity _bob = new("bob");
    private readonly ServerSettings _settings = new() { RoomIdleTimeout = TimeSpan.FromMilliseconds(200) };

    public RoomIdleSpecs(ITestOutputHelper output) : base("akka.loglevel = WARNING", output: output)
    {
    }

    [Fact]
    public async Task A_room_everyone_left_is_stopped_after_the_idle_timeout_and_one_in_use_is_not()
    {
        var rooms = Sys.ActorOf(RoomDirectory.Props(_settings));
        var alice = CreateTestProbe();
        var bob = CreateTestProbe();
        rooms.Tell(new Room.Join("attic", _alice.Member, alice.Ref));
        rooms.Tell(new Room.Join("lobby", _bob.Member, bob.Ref));
        var attic = await alice.ExpectMsgAsync<Room.Joined>();
        await bob.ExpectMsgAsync<Room.Joined>();
        Assert.Equal(2, await CountAsync(rooms));

        attic.Member.Tell(new Member.Leave());

        await AwaitAssertAsync(async () => Assert.Equal(1, await CountAsync(rooms)), TimeSpan.FromSeconds(10));
        await Task.Delay(500);
        Assert.Equal(1, await CountAsync(rooms)); // bob's lobby stays
    }

    [Fact]
    public async Task A_join_for_a_room_that_is_stopping_reaches_a_room()
    {
        var rooms = Sys.ActorOf(RoomDirectory.Props(_settings));
        var alice = CreateTestProbe();
        for (var i = 0; i < 30; i++)
        {
            rooms.Tell(new Room.Join("attic", _alice.Member, alice.Ref));
            var joined = await alice.FishForMessageAsync<Room.Joined>(_ => true, TimeSpan.FromSeconds(10));
            joined.Member.Tell(new Member.Leave());
            await alice.FishForMessageAsync(m => m is ClientTransport.Send s && Frames.Decode(s.Frame) is RoomLeft, TimeSpan.FromSeconds(10));
            await Task.Delay(190 + (i % 3) * 10); // around the idle timeout: some joins meet a stopping room
        }
        await AwaitAssertAsync(async () => Assert.Equal(0, await CountAsync(rooms)), TimeSpan.FromSeconds(10));
    }

    private static async Task<int> CountAsync(IActorRef rooms) =>
        (await rooms.Ask<RoomDirectory.RoomCount>(new RoomDirectory.GetRoomCount(), TimeSpan.FromSeconds(5))).Count;

    protected override void AfterAll()
    {
        _alice.Dispose();
        _bob.Dispose();
        base.AfterAll();
    }
}
