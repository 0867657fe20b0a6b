using Entice.Server;
using Entice.Tests.Support;
using Entice.Wire;

namespace Entice.Tests.Server;

/// <summary>
/// Room-wide envelopes (one per message, recipient empty) are kept for the members who are away, as
/// direct ones are: handed once on their return, in order with the direct ones, not again after a
/// server restart, and one sender's share of the room's log is capped (their own oldest go).
/// </summary>
public sealed class RoomLogSpecs : IAsyncDisposable
{
    private readonly TestIdentity _alice = new("alice");
    private readonly TestIdentity _bob = new("bob");
    private readonly TestIdentity _carol = new("carol");
    private readonly string _data = Path.Combine(Path.GetTempPath(), "entice-test-roomlog-" + Guid.NewGuid().ToString("N"));
    private Akka.Actor.ActorSystem? _server;

    [Fact]
    public async Task An_away_member_is_handed_a_room_envelope_once_on_return_in_order_with_direct_ones()
    {
        var server = await StartAsync();
        using var alice = await RawClient.JoinedAsync(server, _alice);
        using var carol = await RawClient.JoinedAsync(server, _carol);
        await GoAwayAsync(server, _bob, alice);

        await alice.SendAsync(new Envelope("lobby", "", "bob", 1, true, [1]));
        await alice.SendAsync(new Envelope("lobby", "", "", 2, false, [2]));
        await alice.SendAsync(new Envelope("lobby", "", "bob", 3, true, [3]));
        await UntilAsync(alice, m => m is EnvelopeAck { Id: 3 });
        Assert.Equal(2ul, Assert.IsType<Envelope>((await UntilAsync(carol, m => m is Envelope))[^1]).Id); // live

        using (var bob = await RawClient.JoinedAsync(server, _bob))
        {
            var stored = await StoredAsync(bob, 3);
            Assert.Equal([1ul, 2ul, 3ul], stored.Select(s => s.Envelope.Id));
            Assert.Equal("alice", stored[1].Envelope.Sender);
            foreach (var s in stored)
                await bob.SendAsync(new StoredAck(s.Seq));
            Assert.DoesNotContain(await bob.DrainAsync(TimeSpan.FromSeconds(1)), m => m is StoredEnvelope or Envelope);
        }
        await UntilAsync(alice, m => m is MemberAway { Member.Name: "bob" });

        using var back = await RawClient.JoinedAsync(server, _bob);
        Assert.DoesNotContain(await back.DrainAsync(TimeSpan.FromSeconds(1)), m => m is StoredEnvelope);
    }

    [Fact]
    public async Task What_was_handed_and_acknowledged_is_not_handed_again_after_a_restart_and_what_was_not_still_waits()
    {
        var server = await StartAsync();
        using (var alice = await RawClient.JoinedAsync(server, _alice))
        {
            await GoAwayAsync(server, _bob, alice);
            await GoAwayAsync(server, _carol, alice);
            await alice.SendAsync(new Envelope("lobby", "", "", 7, false, [7]));
            await UntilAsync(alice, m => m is EnvelopeAck { Id: 7 });
        }
        using (var bob = await RawClient.JoinedAsync(server, _bob))
        {
            var kept = Assert.Single(await StoredAsync(bob, 1));
            Assert.Equal(7ul, kept.Envelope.Id);
            await bob.SendAsync(new StoredAck(kept.Seq));
        }
        // The acknowledgement is committed (a store opened beside the server's sees it) before the stop.
        await Eventually.HoldsAsync(() =>
        {
            using var store = Entice.Server.Store.OfflineStore.Open(_data);
            return Task.FromResult(store.Pending("lobby", "bob").Count == 0);
        });

        await _server!.Terminate();
        server = await StartAsync();

        using var bobAgain = await RawClient.JoinedAsync(server, _bob);
        Assert.DoesNotContain(await bobAgain.DrainAsync(TimeSpan.FromSeconds(1)), m => m is StoredEnvelope);
        using var carol = await RawClient.JoinedAsync(server, _carol);
        Assert.Equal(7ul, Assert.Single(await StoredAsync(carol, 1)).Envelope.Id);
    }

    [Fact]
    public async Task One_sender_keeps_only_its_share_of_the_rooms_log_and_crowds_out_nobody_else()
    {
        var server = await StartAsync(new ServerSettings { MaxStoredPerRecipient = 2 });
        using var alice = await RawClient.JoinedAsync(server, _alice);
        using var carol = await RawClient.JoinedAsync(server, _carol);
        await GoAwayAsync(server, _bob, alice);

        await carol.SendAsync(new Envelope("lobby", "", "", 1, false, [1]));
        await UntilAsync(carol, m => m is EnvelopeAck { Id: 1 });
        for (ulong id = 2; id <= 5; id++)
            await alice.SendAsync(new Envelope("lobby", "", "", id, false, [(byte)id]));
        var answers = await UntilAsync(alice, m => m is EnvelopeAck { Id: 5 });
        Assert.Equal(4, answers.Count(m => m is EnvelopeAck)); // all taken: present members have them
        Assert.DoesNotContain(answers, m => m is EnvelopeRefused);

        using var bob = await RawClient.JoinedAsync(server, _bob);
        Assert.Equal([1ul, 4ul, 5ul], (await StoredAsync(bob, 3)).Select(s => s.Envelope.Id)); // alice's newest two, carol's one
        Assert.DoesNotContain(await bob.DrainAsync(TimeSpan.FromSeconds(1)), m => m is StoredEnvelope);
    }

    private async Task<System.Net.IPEndPoint> StartAsync(ServerSettings? settings = null)
    {
        (_server, var endpoint) = await LocalNodes.StartServerAsync(settings, dataDir: _data);
        return endpoint;
    }

    // Joins and drops the connection: remembered, away.
    private static async Task GoAwayAsync(System.Net.IPEndPoint server, TestIdentity who, RawClient watcher)
    {
        (await RawClient.JoinedAsync(server, who)).Dispose();
        await UntilAsync(watcher, m => m is MemberAway a && a.Member.Name == who.Name);
    }

    private static async Task<List<StoredEnvelope>> StoredAsync(RawClient client, int count)
    {
        var stored = new List<StoredEnvelope>();
        while (stored.Count < count)
            stored.Add(Assert.IsType<StoredEnvelope>((await UntilAsync(client, m => m is StoredEnvelope))[^1]));
        return stored;
    }

    private static async Task<List<WireMessage>> UntilAsync(RawClient client, Func<WireMessage, bool> last)
    {
        var all = new List<WireMessage>();
        while (true)
        {
            var m = await client.ReceiveAsync();
            Assert.NotNull(m);
            all.Add(m);
            if (last(m))
                return all;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
            await _server.Terminate();
        foreach (var who in new[] { _alice, _bob, _carol })
            who.Dispose();
        StoreDirs.Delete(_data);
    }
}
