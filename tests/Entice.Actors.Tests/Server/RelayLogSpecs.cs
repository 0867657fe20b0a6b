using Akka.Actor;
using Akka.TestKit.Xunit2;
using Entice.Config;
using Entice.Server;
using Entice.Server.Rooms;
using Entice.Tests.Support;
using Entice.Transport;
using Entice.Wire;
using Xunit.Abstractions;

namespace Entice.Tests.Server;

/// <summary>
/// The relay's log at its shipped level (Information) has no line per relayed envelope: at 1,000 envelopes/s
/// that line cost a third of the relay's CPU (issue 17, tests/perf/README.md "Light load"). Joins still show.
/// </summary>
public sealed class RelayLogAtInformationSpecs(ITestOutputHelper output) : TestKit("akka.loglevel = INFO", output: output)
{
    [Fact]
    public async Task A_relayed_envelope_writes_no_line_at_the_shipped_level_and_a_join_still_does()
    {
        Assert.Equal("INFO", EnticeConfig.Server().GetString("akka.loglevel"));
        using var alice = new TestIdentity("alice");
        using var bob = new TestIdentity("bob");
        var room = Sys.ActorOf(Room.Props("lobby", new ServerSettings()), "lobby");
        var aliceMember = await RelayLog.JoinAsync(this, room, alice);
        var bobTransport = CreateTestProbe();
        await EventFilter.Info(contains: "bob joined room lobby").ExpectOneAsync(async () =>
        {
            room.Tell(new Room.Join("lobby", bob.Member, bobTransport.Ref));
            await bobTransport.ExpectMsgAsync<Room.Joined>();
        });

        await EventFilter.Custom(e => e.Message?.ToString()?.Contains("Relayed envelope", StringComparison.Ordinal) == true)
            .ExpectAsync(0, async () =>
            {
                aliceMember.Tell(new Member.Publish(new Envelope("lobby", "", "", 42, false, [1, 2, 3])));
                Assert.Equal("alice", Frames.Decode<Envelope>((await bobTransport.ExpectMsgAsync<ClientTransport.Send>()).Frame).Sender);
            });
    }
}

/// <summary>At Debug (--log-level Debug) each relayed envelope is one line, as tests/groups and tests/channel read it.</summary>
public sealed class RelayLogAtDebugSpecs(ITestOutputHelper output) : TestKit("akka.loglevel = DEBUG", output: output)
{
    [Fact]
    public async Task A_relayed_envelope_writes_one_debug_line()
    {
        using var alice = new TestIdentity("alice");
        using var bob = new TestIdentity("bob");
        var room = Sys.ActorOf(Room.Props("lobby", new ServerSettings()), "lobby");
        var aliceMember = await RelayLog.JoinAsync(this, room, alice);
        var bobTransport = CreateTestProbe();
        room.Tell(new Room.Join("lobby", bob.Member, bobTransport.Ref));
        await bobTransport.ExpectMsgAsync<Room.Joined>();

        await EventFilter.Debug(contains: "Relayed envelope 42 from alice to room lobby").ExpectOneAsync(async () =>
        {
            aliceMember.Tell(new Member.Publish(new Envelope("lobby", "", "", 42, false, [1, 2, 3])));
            await bobTransport.ExpectMsgAsync<ClientTransport.Send>();
        });
    }
}

internal static class RelayLog
{
    public static async Task<IActorRef> JoinAsync(TestKit kit, IActorRef room, TestIdentity who)
    {
        var transport = kit.CreateTestProbe();
        room.Tell(new Room.Join("lobby", who.Member, transport.Ref));
        return (await transport.ExpectMsgAsync<Room.Joined>()).Member;
    }
}
