using Entice.Client;
using Entice.Server;
using Entice.Tests.Support;
using Entice.Wire;
using Entice.Server.Store;

namespace Entice.Tests.Hostile;

/// <summary>
/// Attack 1 of issue 10, through a real relay: a member whose correctly signed prekey is a low-order point
/// joined and left, and the next message anyone wrote to the room killed their crypto actor for good. Now
/// the key is refused at the bundle (the relay refuses the hello with the same check; a client refuses it
/// if a relay announces it anyway, see <see cref="Attack01LowOrderPrekeyAgentSpecs"/>), and everyone else
/// keeps talking.
/// </summary>
public sealed class Attack01LowOrderPrekeySpecs : IAsyncDisposable
{
    private readonly TestNodes _nodes = new();

    [Fact]
    public async Task A_member_with_a_low_order_signed_prekey_is_refused_and_the_room_keeps_talking()
    {
        var (_, endpoint) = await _nodes.ServerAsync();
        var alice = _nodes.Client("alice", endpoint);
        var bob = _nodes.Client("bob", endpoint);
        await alice.ReadyAsync();
        await bob.ReadyAsync();
        await alice.View.NextAsync<MemberJoinedEvent>(j => j.Name == "bob");

        // Mallory's prekey is 32 zero bytes, signed by her real identity key; she joins, then goes away.
        using var mallory = new TestIdentity("mallory");
        var (raw, answer) = await HostileMember.HelloAsync(endpoint, mallory, HostileMember.WithPrekey(mallory, new byte[32]));
        using (raw)
        {
            if (answer is Welcome)
            {
                await raw.SendAsync(new JoinRoom("lobby"));
                await raw.ReceiveAsync<RoomJoined>();
                await alice.View.NextAsync<MemberJoinedEvent>(j => j.Name == "mallory");
            }
        }

        Assert.IsNotType<Welcome>(answer); // the relay applies the same key check to every hello
        alice.Type("anyone still there?");
        Assert.Equal("anyone still there?", (await bob.View.NextAsync<MessageEvent>()).Text);
        bob.Type("yes");
        Assert.Equal("yes", (await alice.View.NextAsync<MessageEvent>()).Text);
    }

    [Fact]
    public async Task A_member_who_publishes_low_order_one_time_prekeys_gets_a_session_without_them_and_nobody_is_silenced()
    {
        var data = _nodes.Dir("entice-test-data-");
        var (server, endpoint) = await _nodes.ServerAsync(dataDir: data);
        using var store = OfflineStore.Open(data); // a second reader of the server's database
        var alice = _nodes.Client("alice", endpoint);
        var bob = _nodes.Client("bob", endpoint);
        await alice.ReadyAsync();
        await bob.ReadyAsync();

        using var mallet = new TestIdentity("mallet");
        using var raw = await RawClient.ConnectAsync(endpoint);
        Assert.IsType<Welcome>(await raw.HelloAsync(mallet));
        // Unsigned, handed out by the relay to whoever starts a session with mallet: all low-order points.
        // An honest relay drops such prekeys when they are published (Attack01ServerKeyCheckSpecs); this
        // one's database holds them anyway, as a lying or compromised relay's would.
        await raw.SendAsync(new PublishPrekeys([.. Enumerable.Range(1, 5).Select(i => new OneTimePrekey((uint)i, new byte[32]))]));
        Assert.Equal(0, store.AvailablePrekeys("mallet"));
        store.PublishPrekeys("mallet", mallet.Bundle.SigningKey, [.. Enumerable.Range(1, 5).Select(i => new OneTimePrekey((uint)i, new byte[32]))]);
        await raw.SendAsync(new JoinRoom("lobby"));
        await raw.ReceiveAsync<RoomJoined>();
        await alice.View.NextAsync<MemberJoinedEvent>(j => j.Name == "mallet");
        // Alice and bob each fetched one of mallet's prekeys (the relay handed them out).
        await Eventually.HoldsAsync(() => Task.FromResult(store.AvailablePrekeys("mallet") == 3));

        alice.Type("hello everyone");

        Assert.Equal("hello everyone", (await bob.View.NextAsync<MessageEvent>()).Text);
        // Mallet got a session start too, made without the unusable one-time prekey (kind 1, not 2).
        var toMallet = await raw.ReceiveAsync<Envelope>();
        Assert.Equal(("alice", (byte)1), (toMallet.Sender, toMallet.Ciphertext[1]));
        bob.Type("still fine");
        Assert.Equal("still fine", (await alice.View.NextAsync<MessageEvent>()).Text);
    }

    public ValueTask DisposeAsync() => _nodes.DisposeAsync();
}
