using System.Net;
using Entice.Tests.Support;
using Entice.Wire;

namespace Entice.Tests.Cluster;

/// <summary>
/// The relay's own guarantees across nodes, seen at the protocol level with clients that never send
/// anything twice, so only the server can be keeping what arrives.
/// </summary>
public sealed class ClusterRelaySpecs : IAsyncDisposable
{
    private readonly TestNodes _nodes = new();
    private readonly string _store;

    public ClusterRelaySpecs() => _store = _nodes.Database();

    public ValueTask DisposeAsync() => _nodes.DisposeAsync();

    [Fact]
    public async Task A_direct_envelope_in_flight_to_a_node_that_is_killed_is_kept_for_its_recipient()
    {
        var b = await Node();
        await Node(b); // a third node, so the cluster keeps a majority when one dies
        using var a = await ServerProcess.StartClusterNodeAsync(b, _store);
        using var aliceKeys = new TestIdentity("alice");
        using var bobKeys = new TestIdentity("bob");

        using var alice = await JoinAsync(aliceKeys, a.Port);
        using var bob = await JoinAsync(bobKeys, b.Port);
        await bob.ReceiveAsync<MemberJoined>(); // node b knows alice is on node a

        a.Kill();
        var envelope = new Envelope("lobby", "bob", "alice", 7, true, [0xC1, 0xFE, 0x42]);
        await bob.SendAsync(envelope);
        var answer = await bob.ReceiveAsync<EnvelopeAck>(); // taken: stored, since node a never confirmed
        Assert.Equal(7ul, answer.Id);

        using var aliceAgain = await JoinAsync(aliceKeys, b.Port); // she moves to node b
        var stored = await aliceAgain.ReceiveAsync<StoredEnvelope>();
        Assert.Equal((7ul, "bob", "C1FE42"), (stored.Envelope.Id, stored.Envelope.Sender, Convert.ToHexString(stored.Envelope.Ciphertext)));
    }

    [Fact]
    public async Task A_room_message_reaches_every_member_on_every_node_exactly_once()
    {
        var a = await Node();
        var b = await Node(a);
        var c = await Node(a);
        using var aliceKeys = new TestIdentity("alice");
        using var bobKeys = new TestIdentity("bob");
        using var carolKeys = new TestIdentity("carol");
        using var daveKeys = new TestIdentity("dave");
        using var alice = await JoinAsync(aliceKeys, a.Port);
        using var bob = await JoinAsync(bobKeys, b.Port);
        using var carol = await JoinAsync(carolKeys, c.Port);
        using var dave = await JoinAsync(daveKeys, c.Port);
        await WaitForMembersAsync(alice, "bob", "carol", "dave");

        await alice.SendAsync(new Envelope("lobby", "alice", "", 1, false, [1, 2, 3])); // room-wide, one envelope
        Assert.Equal(1ul, (await alice.ReceiveAsync<EnvelopeAck>()).Id);
        foreach (var member in new[] { bob, carol, dave })
        {
            var got = await member.ReceiveAsync<Envelope>();
            Assert.Equal(("alice", 1ul), (got.Sender, got.Id));
            Assert.DoesNotContain(await RestAsync(member), m => m is Envelope);
        }
    }

    [Fact]
    public async Task Room_wide_envelopes_sent_the_moment_a_room_starts_on_two_nodes_reach_both_sides()
    {
        var a = await Node();
        var b = await Node(a);
        using var aliceKeys = new TestIdentity("alice");
        using var bobKeys = new TestIdentity("bob");

        // A room new on both nodes at once, and each member writes as soon as it is in.
        var joining = await Task.WhenAll(JoinAsync(aliceKeys, a.Port, "fresh"), JoinAsync(bobKeys, b.Port, "fresh"));
        using var alice = joining[0];
        using var bob = joining[1];
        await Task.WhenAll(alice.SendAsync(new Envelope("fresh", "", "", 1, false, [1])), bob.SendAsync(new Envelope("fresh", "", "", 2, false, [2])));

        Assert.Equal(("alice", 1ul), Said(await bob.ReceiveAsync<Envelope>()));
        Assert.Equal(("bob", 2ul), Said(await alice.ReceiveAsync<Envelope>()));
    }

    [Fact]
    public async Task The_same_identity_connecting_through_another_node_replaces_its_stale_connection_there()
    {
        var a = await Node();
        var b = await Node(a);
        using var aliceKeys = new TestIdentity("alice");
        using var stale = await JoinAsync(aliceKeys, a.Port);

        using var again = await RawClient.ConnectAsync(new IPEndPoint(IPAddress.Loopback, b.Port));
        Assert.IsType<Welcome>(await again.HelloAsync(aliceKeys));

        Assert.Equal(ErrorCodes.Replaced, (await stale.ReceiveAsync<ErrorMessage>()).Code); // node a was told
        Assert.True(await stale.ClosedByServerAsync());
    }

    private static (string, ulong) Said(Envelope e) => (e.Sender, e.Id);

    // Joins on other nodes arrive in no particular order.
    private static async Task WaitForMembersAsync(RawClient client, params string[] names)
    {
        var missing = names.ToHashSet();
        while (missing.Count > 0)
            missing.Remove((await client.ReceiveAsync<MemberJoined>()).Member.Name);
    }

    private static async Task<List<WireMessage>> RestAsync(RawClient client)
    {
        var rest = new List<WireMessage>();
        while (await client.ReceiveAsync(TimeSpan.FromMilliseconds(500)) is { } m)
            rest.Add(m);
        return rest;
    }

    private static async Task<RawClient> JoinAsync(TestIdentity who, int port, string room = "lobby")
    {
        var client = await RawClient.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port));
        Assert.IsType<Welcome>(await client.HelloAsync(who));
        await client.SendAsync(new JoinRoom(room));
        await client.ReceiveAsync<RoomJoined>();
        return client;
    }

    private Task<RelayNode> Node(RelayNode? seed = null) => _nodes.ClusterNodeAsync(_store, seed);
}
