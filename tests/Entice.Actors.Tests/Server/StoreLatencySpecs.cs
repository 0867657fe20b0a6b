using Entice.Server;
using Entice.Server.Store;
using Entice.Tests.Support;
using Entice.Wire;

namespace Entice.Tests.Server;

/// <summary>
/// A slow store slows only those who wait for it. Every store call for the room "slow" takes 200 ms
/// longer, and the save of an envelope kept there for an away member is held until the spec lets it
/// through: meanwhile the room's online members go on talking, a new name is claimed and another room
/// is joined; the sender's ack for the kept envelope comes only once it is saved.
/// </summary>
public sealed class StoreLatencySpecs : IAsyncLifetime
{
    private readonly TestIdentity _alice = new("alice");
    private readonly TestIdentity _bob = new("bob");
    private readonly TestIdentity _carol = new("carol");
    private readonly TestIdentity _dave = new("dave");
    private readonly SemaphoreSlim _saveHeld = new(0);
    private Akka.Actor.ActorSystem _server = null!;
    private System.Net.IPEndPoint _endpoint = null!;

    public async Task InitializeAsync() => (_server, _endpoint) = await LocalNodes.StartServerAsync(new ServerSettings
    {
        StoreWorkersSqlite = 4,
        StoreCalls = (request, store) =>
        {
            if (request is ServerStore.Enqueue { Room: "slow" })
                _saveHeld.Wait(TimeSpan.FromSeconds(30));
            else if (request is ServerStore.RememberMember { Room: "slow" } or ServerStore.Pending { Room: "slow" } or ServerStore.LoadMembers { Room: "slow" }
                     or ServerStore.MarkAway { Room: "slow" })
                Thread.Sleep(200);
            return request.Run(store);
        },
    });

    public async Task DisposeAsync()
    {
        _saveHeld.Release(10);
        await _server.Terminate();
        foreach (var who in new[] { _alice, _bob, _carol, _dave })
            who.Dispose();
        _saveHeld.Dispose();
    }

    [Fact]
    public async Task Members_who_do_not_need_the_store_are_not_slowed_by_one_rooms_slow_saves()
    {
        using var alice = await RawClient.JoinedAsync(_endpoint, _alice, "slow");
        using var carol = await RawClient.JoinedAsync(_endpoint, _carol, "slow");
        (await RawClient.JoinedAsync(_endpoint, _bob, "slow")).Dispose(); // bob joins, then is gone: away, remembered
        await ReceiveUntilAsync(alice, m => m is MemberAway { Member.Name: "bob" });

        // For bob, away: kept in the store, whose save is held.
        await alice.SendAsync(new Envelope("slow", "", "bob", 1, true, [1]));
        // Meanwhile the room's online members keep talking, both ways.
        await carol.SendAsync(new Envelope("slow", "", "alice", 2, true, [2]));
        await alice.SendAsync(new Envelope("slow", "", "carol", 3, true, [3])); // (a room-wide one would be kept for bob too)
        var toAlice = await ReceiveUntilAsync(alice, m => m is EnvelopeAck { Id: 3 } or Envelope { Id: 2 });
        toAlice.AddRange(await ReceiveUntilAsync(alice, m => m is EnvelopeAck { Id: 3 } or Envelope { Id: 2 }));
        Assert.Contains(toAlice, m => m is Envelope { Id: 2 });
        Assert.Contains(toAlice, m => m is EnvelopeAck { Id: 3 });
        Assert.DoesNotContain(toAlice, m => m is EnvelopeAck { Id: 1 } or EnvelopeRefused); // not saved yet: not acknowledged
        var toCarol = await ReceiveUntilAsync(carol, m => m is Envelope { Id: 3 } or EnvelopeAck { Id: 2 });
        toCarol.AddRange(await ReceiveUntilAsync(carol, m => m is Envelope { Id: 3 } or EnvelopeAck { Id: 2 }));
        Assert.Contains(toCarol, m => m is Envelope { Id: 3 });
        Assert.Contains(toCarol, m => m is EnvelopeAck { Id: 2 });
        // A name is claimed and another room joined (both use the store, not that room's calls).
        (await RawClient.JoinedAsync(_endpoint, _dave, "other")).Dispose();

        _saveHeld.Release();

        Assert.NotEmpty(await ReceiveUntilAsync(alice, m => m is EnvelopeAck { Id: 1 }));
        using var back = await RawClient.ConnectAsync(_endpoint);
        Assert.IsType<Welcome>(await back.HelloAsync(_bob));
        await back.SendAsync(new JoinRoom("slow"));
        var kept = Assert.IsType<StoredEnvelope>((await ReceiveUntilAsync(back, m => m is StoredEnvelope))[^1]);
        Assert.Equal(1ul, kept.Envelope.Id);
    }

    // Everything received up to and including the first message that matches; fails when none comes.
    private static async Task<List<WireMessage>> ReceiveUntilAsync(RawClient client, Func<WireMessage, bool> last)
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
}
