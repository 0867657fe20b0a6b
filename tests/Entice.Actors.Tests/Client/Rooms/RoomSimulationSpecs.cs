using Akka.Actor;
using Entice.Client.Keys;
using Entice.Tests.Support;
using Entice.Wire;
using Xunit.Abstractions;

namespace Entice.Tests.Client.Rooms;

/// <summary>
/// Issue 12: rooms on sender keys, with the real crypto actors of every member and a simulated relay
/// (<see cref="SimulatedRelay"/>) that fans one room-wide envelope out: joins, leaves and key changes; a
/// member who left reads nothing sent after; a relay that adds a ghost or hides a member is caught
/// (roster_mismatch); replayed, altered or relabelled room messages are refused.
/// </summary>
public sealed class RoomSimulationSpecs(ITestOutputHelper output) : CryptoAgentTestKit(output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Fifty_members_with_joins_leaves_and_key_changes_read_everything_while_members_and_nothing_after()
    {
        var relay = Sys.ActorOf(Props.Create(() => new SimulatedRelay(TestActor)));
        var agents = new Dictionary<string, Agent>(StringComparer.Ordinal);
        for (var i = 0; i < 45; i++)
            await JoinAsync(relay, agents, $"m{i:00}");

        foreach (var from in new[] { "m00", "m01", "m44" })
            await EveryoneReadsAsync(relay, agents, from, $"hello from {from}");
        // A second message under the same key: no new distribution.
        Assert.Equal(0, (await EveryoneReadsAsync(relay, agents, "m00", "again")).Distributions);

        for (var i = 45; i < 50; i++)
            await JoinAsync(relay, agents, $"m{i:00}");
        Assert.Equal(49, (await EveryoneReadsAsync(relay, agents, "m00", "welcome, newcomers")).Distributions);
        await EveryoneReadsAsync(relay, agents, "m49", "thanks");

        // m10 leaves, keeping every key it ever held: what m00 sends next is not for it.
        var left = agents["m10"];
        agents.Remove("m10");
        relay.Tell(new SimulatedRelay.Leave("m10"));
        var after = (await EveryoneReadsAsync(relay, agents, "m00", "said after m10 left")).Envelope;
        await CannotReadAsync(left, after, agents["m00"].Info, agents.Values.Select(a => a.Info).Where(i => i.Name != "m00").ToList());
        // And nothing any other sender sends next either.
        var fromM01 = (await EveryoneReadsAsync(relay, agents, "m01", "m01 after m10 left")).Envelope;
        await CannotReadAsync(left, fromM01, agents["m01"].Info, agents.Values.Select(a => a.Info).Where(i => i.Name != "m01").ToList());

        // m20's identity key changes (a new device): the others accept it; the old device reads nothing more.
        var oldM20 = agents["m20"];
        var newM20 = await StartAsync("m20");
        agents["m20"] = newM20;
        relay.Tell(new SimulatedRelay.Join(new SimulatedRelay.Member("m20", newM20.Ref, newM20.Info)));
        foreach (var agent in agents.Values.Where(a => a != newM20))
        {
            agent.Ref.Tell(new CryptoAgent.Trust(newM20.Info));
            await ExpectMsgAsync<CryptoAgent.TrustAccepted>(Patience);
        }
        var afterChange = (await EveryoneReadsAsync(relay, agents, "m00", "after m20's key changed")).Envelope;
        await CannotReadAsync(oldM20, afterChange, agents["m00"].Info, agents.Values.Select(a => a.Info).Where(i => i.Name != "m00").ToList());
        await EveryoneReadsAsync(relay, agents, "m20", "new device here");
    }

    [Fact]
    public async Task A_ghost_shown_to_one_member_and_a_member_hidden_from_one_are_named_in_a_roster_mismatch()
    {
        var relay = Sys.ActorOf(Props.Create(() => new SimulatedRelay(TestActor)));
        var agents = new Dictionary<string, Agent>(StringComparer.Ordinal);
        foreach (var name in new[] { "alice", "bob", "carol", "dave" })
            await JoinAsync(relay, agents, name);
        await EveryoneReadsAsync(relay, agents, "alice", "all honest");

        // The relay shows alice a "mallory" nobody else sees (and keeps the key alice hands mallory).
        var mallory = await StartAsync("mallory");
        relay.Tell(new SimulatedRelay.ShowGhost("alice", mallory.Info));
        var answers = await SayAsync(relay, "alice", "is anyone else here?", 3);
        foreach (var (member, answer) in answers)
        {
            var rejected = Assert.IsType<CryptoAgent.DecryptRejected>(answer);
            Assert.Equal(CryptoAgent.RosterMismatchCode, rejected.Code);
            Assert.Contains("only alice sees mallory", rejected.Reason, StringComparison.Ordinal);
        }

        // The relay hides carol from bob: bob's next key does not go to carol, and alice and dave notice.
        relay.Tell(new SimulatedRelay.Hide("bob", "carol"));
        answers = await SayAsync(relay, "bob", "just us?", 3);
        foreach (var name in new[] { "alice", "dave" })
        {
            var rejected = Assert.IsType<CryptoAgent.DecryptRejected>(answers[name]);
            Assert.Equal(CryptoAgent.RosterMismatchCode, rejected.Code);
            Assert.Contains("bob does not see carol", rejected.Reason, StringComparison.Ordinal);
        }
        Assert.IsType<CryptoAgent.DecryptRejected>(answers["carol"]);
    }

    [Fact]
    public async Task Replayed_altered_or_relabelled_room_messages_are_refused_and_out_of_order_ones_read()
    {
        var relay = Sys.ActorOf(Props.Create(() => new SimulatedRelay(TestActor)));
        var agents = new Dictionary<string, Agent>(StringComparer.Ordinal);
        foreach (var name in new[] { "alice", "bob", "carol" })
            await JoinAsync(relay, agents, name);
        var first = (await EveryoneReadsAsync(relay, agents, "alice", "one")).Envelope;

        relay.Tell(new SimulatedRelay.HoldRoomWide(true));
        relay.Tell(new SimulatedRelay.Say("alice", "two"));
        var two = (await ExpectMsgAsync<SimulatedRelay.Sent>(Patience)).Envelope;
        relay.Tell(new SimulatedRelay.Say("alice", "three"));
        var three = (await ExpectMsgAsync<SimulatedRelay.Sent>(Patience)).Envelope;

        // A copy of what bob read already.
        Assert.Equal(ErrorCodes.Replay, Assert.IsType<CryptoAgent.DecryptRejected>(await DeliverAsync(relay, "bob", first)).Code);
        // One byte of the body flipped; the signature flipped; another envelope id; another sender.
        var body = (byte[])two.Ciphertext.Clone();
        body[60] ^= 1;
        var signature = (byte[])two.Ciphertext.Clone();
        signature[^1] ^= 1;
        foreach (var forged in new[]
                 {
                     two with { Ciphertext = body }, two with { Ciphertext = signature }, two with { Id = two.Id + 1000 },
                     two with { Sender = "carol" }, two with { Ciphertext = two.Ciphertext[..^1] },
                 })
            Assert.IsType<CryptoAgent.DecryptRejected>(await DeliverAsync(relay, "bob", forged));

        // Out of order: three before two both read (each message key once), and their numbers tell the order.
        var readThree = Assert.IsType<CryptoAgent.Decrypted>(await DeliverAsync(relay, "bob", three));
        var readTwo = Assert.IsType<CryptoAgent.Decrypted>(await DeliverAsync(relay, "bob", two));
        Assert.Equal(("three", "two"), (readThree.Plaintext.Text, readTwo.Plaintext.Text));
        Assert.Equal(readTwo.Sequence + 1, readThree.Sequence);
        Assert.Equal(ErrorCodes.Replay, Assert.IsType<CryptoAgent.DecryptRejected>(await DeliverAsync(relay, "bob", two)).Code);
        Assert.Equal(ErrorCodes.Replay, Assert.IsType<CryptoAgent.DecryptRejected>(await DeliverAsync(relay, "bob", three)).Code);
    }

    private async Task JoinAsync(IActorRef relay, Dictionary<string, Agent> agents, string name)
    {
        var agent = await StartAsync(name);
        agents[name] = agent;
        relay.Tell(new SimulatedRelay.Join(new SimulatedRelay.Member(name, agent.Ref, agent.Info)));
    }

    /// <summary><paramref name="from"/> says <paramref name="text"/>; the answer of each of the <paramref name="readers"/> others to the room envelope.</summary>
    private async Task<Dictionary<string, object>> SayAsync(IActorRef relay, string from, string text, int readers)
    {
        relay.Tell(new SimulatedRelay.Say(from, text));
        var answers = new Dictionary<string, object>(StringComparer.Ordinal);
        var sent = false;
        while (!sent || answers.Count < readers)
        {
            switch (await ExpectMsgAsync<object>(Patience))
            {
                case SimulatedRelay.Sent s:
                    _lastSent = s;
                    sent = true;
                    break;
                case SimulatedRelay.Got { RoomWide: true } got:
                    Assert.True(answers.TryAdd(got.Member, got.Answer), $"{got.Member} answered twice");
                    break;
                case SimulatedRelay.Got { RoomWide: false } got:
                    Assert.True(got.Answer is CryptoAgent.SenderKeyTaken, $"{got.Member}: {got.Answer}");
                    break;
            }
        }
        return answers;
    }

    private SimulatedRelay.Sent? _lastSent;

    /// <summary>Every member but the sender reads it; the room envelope and how many keys went out with it.</summary>
    private async Task<SimulatedRelay.Sent> EveryoneReadsAsync(IActorRef relay, Dictionary<string, Agent> agents, string from, string text)
    {
        var answers = await SayAsync(relay, from, text, agents.Count - 1);
        foreach (var (member, answer) in answers)
        {
            var read = Assert.IsType<CryptoAgent.Decrypted>(answer);
            Assert.Equal((from, text, "#" + SimulatedRelay.Room), (read.From, read.Plaintext.Text, read.Conversation));
        }
        Assert.Equal(agents.Keys.Where(n => n != from).Order(StringComparer.Ordinal), answers.Keys.Order(StringComparer.Ordinal));
        return _lastSent!;
    }

    private async Task<object> DeliverAsync(IActorRef relay, string to, Envelope envelope)
    {
        relay.Tell(new SimulatedRelay.Deliver(to, envelope));
        return (await ExpectMsgAsync<SimulatedRelay.Got>(Patience)).Answer;
    }

    private async Task CannotReadAsync(Agent former, Envelope envelope, MemberInfo sender, List<MemberInfo> view)
    {
        former.Ref.Tell(new CryptoAgent.Decrypt(envelope, sender, 0, view));
        var answer = await ExpectMsgAsync<object>(m => m is CryptoAgent.Decrypted or CryptoAgent.DecryptRejected, Patience);
        Assert.IsType<CryptoAgent.DecryptRejected>(answer);
    }
}
