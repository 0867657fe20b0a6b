using Akka.Actor;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using Entice.Server;
using Entice.Server.Rooms;
using Entice.Server.Store;
using Entice.Tests.Support;
using Entice.Transport;
using Entice.Wire;
using Xunit.Abstractions;

namespace Entice.Tests.Server;

/// <summary>
/// Room-wide envelopes that wait in the room's mailbox together leave it together: one Send per member
/// per burst (one write, one channel record on the socket), in routing order, the sender's own left out
/// and its acknowledgements after the others' envelopes (issue 17: a mailbox message and a small write per
/// delivery were most of the relay's cost).
/// </summary>
public sealed class RoomBurstSpecs(ITestOutputHelper output) : TestKit("akka.loglevel = INFO", output)
{
    [Fact]
    public async Task A_burst_waiting_in_the_room_reaches_each_member_as_one_send_in_order()
    {
        using var alice = new TestIdentity("alice");
        using var bob = new TestIdentity("bob");
        using var carol = new TestIdentity("carol");
        // A room with a store stashes everything until the store answers: the joins and the burst then
        // wait in its mailbox together, as envelopes from busy clients do.
        var store = CreateTestProbe();
        var room = Sys.ActorOf(Room.Props("lobby", new ServerSettings(), store.Ref), "lobby");
        var transports = new Dictionary<string, TestProbe>();
        foreach (var who in new[] { alice, bob, carol })
        {
            transports[who.Name] = CreateTestProbe();
            room.Tell(new Room.Join("lobby", who.Member, transports[who.Name].Ref));
        }
        var routed = new List<(string Sender, ulong Id)>();
        for (ulong i = 1; i <= 30; i++)
        {
            var sender = i % 3 == 0 ? "carol" : "alice";
            room.Tell(new Room.Route(new Envelope("lobby", sender, "", i, false, [(byte)i, 2, 3])), transports[sender].Ref);
            routed.Add((sender, i));
        }
        var log = CreateTestProbe();
        Sys.EventStream.Subscribe(log.Ref, typeof(Akka.Event.Info));
        await store.ExpectMsgAsync<ServerStore.LoadMembers>();
        store.Reply(new ServerStore.MembersLoaded("lobby", []));

        foreach (var (name, transport) in transports)
        {
            await transport.ExpectMsgAsync<Room.Joined>();
            var messages = await SendsUntilEnvelopeTraffic(transport);
            var envelopes = messages.OfType<Envelope>().Select(e => (e.Sender, e.Id)).ToList();
            Assert.Equal(routed.Where(r => r.Sender != name), envelopes);
            var acks = messages.OfType<EnvelopeAck>().Select(a => a.Id).ToList();
            Assert.Equal(routed.Where(r => r.Sender == name).Select(r => r.Id), acks);
            // The others' envelopes first, then the acknowledgements of its own.
            if (acks.Count > 0 && envelopes.Count > 0)
                Assert.True(messages.FindLastIndex(m => m is Envelope) < messages.FindIndex(m => m is EnvelopeAck));
            await transport.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(200));
        }
        // The relay's line per envelope is still there, one per envelope, the burst's in one log event.
        var relayed = await log.FishForMessageAsync<Akka.Event.Info>(i => i.Message.ToString()!.StartsWith("Relayed envelope", StringComparison.Ordinal));
        var lines = relayed.Message.ToString()!.Split('\n');
        Assert.Equal(routed.Select(r => $"Relayed envelope {r.Id} from {r.Sender} to room lobby (2 members): 3 B {r.Id:x2}0203…"), lines);
    }

    // Skips the join announcements; the next Send must hold the whole burst.
    private static async Task<List<WireMessage>> SendsUntilEnvelopeTraffic(TestProbe transport)
    {
        while (true)
        {
            var messages = Frames.DecodeAll((await transport.ExpectMsgAsync<ClientTransport.Send>()).Frame);
            if (messages.All(m => m is MemberJoined))
                continue;
            return messages;
        }
    }
}
