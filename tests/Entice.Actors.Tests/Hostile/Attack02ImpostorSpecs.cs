using Entice.Server;
using Entice.Tests.Support;
using Entice.Wire;
using Entice.Server.Store;

namespace Entice.Tests.Hostile;

/// <summary>
/// Attack 2: a new identity says hello under the name of a member who is away, to take their stored
/// envelopes (and ack them away), overwrite the keys the room remembers and drop their prekeys. A raw
/// attacker over a real socket against a real server: names belong to the identity that claimed them.
/// </summary>
public sealed class Attack02ImpostorSpecs : IAsyncLifetime
{
    private readonly TestNodes _nodes = new();
    private readonly TestIdentity _alice = new("alice");
    private readonly TestIdentity _bob = new("bob");
    private readonly TestIdentity _impostor = new("bob"); // other keys, same name
    private System.Net.IPEndPoint _server = null!;
    private string _data = "";

    public async Task InitializeAsync()
    {
        _data = _nodes.Dir("entice-test-data-");
        (_, _server) = await _nodes.ServerAsync(dataDir: _data);
    }

    [Fact]
    public async Task An_impostor_is_refused_an_away_members_name_and_gets_nothing_kept_for_them()
    {
        using var alice = await RawClient.JoinedAsync(_server, _alice);
        using (var bob = await RawClient.JoinedAsync(_server, _bob))
            await alice.ReceiveAsync<MemberJoined>();
        Assert.Equal("bob", (await alice.ReceiveAsync<MemberAway>()).Member.Name);
        await alice.SendAsync(new Envelope("lobby", "", "bob", 1, true, [42]));
        Assert.Equal(1UL, (await alice.ReceiveAsync<EnvelopeAck>()).Id); // kept for bob
        using (var store = OfflineStore.Open(_data))
            PublishTwoPrekeys(store);

        using var impostor = await RawClient.ConnectAsync(_server);
        var refused = Assert.IsType<ErrorMessage>(await impostor.HelloAsync(_impostor));

        Assert.Equal(ErrorCodes.NameOwned, refused.Code);
        Assert.Contains("belongs to another identity", refused.Message, StringComparison.Ordinal);
        Assert.True(await impostor.ClosedByServerAsync());
        // The room still holds bob's keys: alice heard of no new bob.
        Assert.DoesNotContain(await alice.DrainAsync(TimeSpan.FromMilliseconds(500)), m => m is MemberJoined);
        // The real bob comes back to his mail and his prekeys.
        using (var store = OfflineStore.Open(_data))
            Assert.Equal(2, store.AvailablePrekeys("bob"));
        using var back = await RawClient.JoinedAsync(_server, _bob);
        Assert.Equal([42], (await back.ReceiveAsync<StoredEnvelope>()).Envelope.Ciphertext);
    }

    [Fact]
    public async Task After_the_operator_releases_the_name_a_new_identity_may_take_it_but_not_the_old_mail()
    {
        using var alice = await RawClient.JoinedAsync(_server, _alice);
        using (var bob = await RawClient.JoinedAsync(_server, _bob))
            await alice.ReceiveAsync<MemberJoined>();
        await alice.ReceiveAsync<MemberAway>();
        await alice.SendAsync(new Envelope("lobby", "", "bob", 1, true, [42]));
        await alice.ReceiveAsync<EnvelopeAck>();

        using (var store = OfflineStore.Open(_data))
            Assert.True(store.ReleaseOwnedName("bob"));
        using var newBob = await RawClient.JoinedAsync(_server, _impostor);

        // Peers see the new keys (a key change on their side); what was written for the old bob stays unread.
        Assert.Equal(_impostor.Bundle.SigningKey, (await alice.ReceiveAsync<MemberJoined>()).Member.Identity.SigningKey);
        Assert.DoesNotContain(await newBob.DrainAsync(TimeSpan.FromMilliseconds(500)), m => m is StoredEnvelope);
    }

    private void PublishTwoPrekeys(OfflineStore store) =>
        store.PublishPrekeys("bob", _bob.Bundle.SigningKey, [new OneTimePrekey(1, [.. Enumerable.Repeat((byte)9, 32)]), new OneTimePrekey(2, [.. Enumerable.Repeat((byte)9, 32)])]);

    public async Task DisposeAsync()
    {
        await _nodes.DisposeAsync();
        _alice.Dispose();
        _bob.Dispose();
        _impostor.Dispose();
    }
}
