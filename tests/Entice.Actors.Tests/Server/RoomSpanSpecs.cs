using Akka.Actor;
using Akka.TestKit.Xunit2;
using Entice.Server;
using Entice.Server.Cluster;
using Entice.Tests.Support;
using Entice.Wire;
using Xunit.Abstractions;
using Entice.Server.Store;
using Entice.Server.Rooms;
using Entice.Transport;

namespace Entice.Tests.Server;

/// <summary>
/// One room actor in cluster mode, with a test probe playing the same room on another node and probes
/// for the members' transports; the store is SQLite in a temporary directory.
/// </summary>
public sealed class RoomSpanSpecs : TestKit
{
    private const string ClusterConfig = StoreActors.ClusterNodeHocon;

    private readonly TestIdentity _alice = new("alice");
    private readonly TestIdentity _bob = new("bob");
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "entice-span-" + Guid.NewGuid().ToString("N"));
    private readonly OfflineStore _store;
    private readonly IActorRef _room;

    public RoomSpanSpecs(ITestOutputHelper output) : base(ClusterConfig, output: output)
    {
        _store = OfflineStore.Open(_dataDir);
        var settings = new ServerSettings { Cluster = new ClusterSettings { Enabled = true, PeerDeliveryTimeout = TimeSpan.FromMilliseconds(400) } };
        _room = Sys.ActorOf(Room.Props("lobby", settings, StoreActors.Start(Sys, _store)), "lobby");
    }

    [Fact]
    public async Task A_peer_room_that_restarted_and_meets_us_again_learns_who_is_here()
    {
        var peer = CreateTestProbe();
        peer.Send(_room, new RoomSpan.Presence("lobby", 1, [_bob.Member], Reply: false));
        Assert.Empty((await peer.ExpectMsgAsync<RoomSpan.Presence>()).Members); // first contact: our (empty) snapshot
        await peer.ExpectMsgAsync<RoomSpan.PresenceAck>();
        await JoinAsync(_alice);
        Assert.Equal("alice", (await peer.ExpectMsgAsync<RoomSpan.MemberPresent>()).Member.Name);

        peer.Send(_room, new RoomSpan.Presence("lobby", 1, [_bob.Member], Reply: false)); // it restarted: it knows nothing of us

        var again = await peer.ExpectMsgAsync<RoomSpan.Presence>();
        Assert.Equal((true, "alice"), (again.Reply, Assert.Single(again.Members).Name));
    }

    [Fact]
    public async Task A_direct_envelope_to_a_member_on_another_node_is_acknowledged_only_once_that_node_took_it()
    {
        var peer = await PeerWithAsync(_bob);
        var (alice, session) = await JoinAsync(_alice);
        session.Tell(new Member.Publish(new Envelope("lobby", "", "bob", 5, true, [1, 2])));

        var deliver = (RoomSpan.Deliver)await peer.FishForMessageAsync(m => m is RoomSpan.Deliver d && d.Envelope.Recipient == "bob");
        Assert.Equal("alice", deliver.Envelope.Sender);
        await alice.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(100)); // not yet
        peer.Send(_room, new RoomSpan.Taken("lobby", deliver.Ticket));
        Assert.Equal(5ul, Frames.Decode<EnvelopeAck>((await alice.ExpectMsgAsync<ClientTransport.Send>()).Frame).Id);
        await Task.Delay(600);
        Assert.Empty(_store.Pending("lobby", "bob")); // taken there: nothing kept here
    }

    [Fact]
    public async Task A_direct_envelope_the_other_node_never_confirms_is_stored_and_then_acknowledged()
    {
        var peer = await PeerWithAsync(_bob);
        var (alice, session) = await JoinAsync(_alice);
        session.Tell(new Member.Publish(new Envelope("lobby", "", "bob", 6, true, [3])));
        await peer.FishForMessageAsync(m => m is RoomSpan.Deliver d && d.Envelope.Recipient == "bob"); // and then silence: it crashed

        Assert.Equal(6ul, Frames.Decode<EnvelopeAck>((await alice.ExpectMsgAsync<ClientTransport.Send>(TimeSpan.FromSeconds(3))).Frame).Id);
        Assert.Equal(6ul, Assert.Single(_store.Pending("lobby", "bob")).Envelope.Id);
        await peer.FishForMessageAsync(m => m is RoomSpan.Stored { Recipient: "bob" }); // where bob turns up, it is fetched
    }

    [Fact]
    public async Task What_a_peer_stored_before_it_knew_a_member_was_here_is_fetched_when_it_acknowledges()
    {
        var (alice, _) = await JoinAsync(_alice);
        _store.Enqueue("lobby", "alice", new Envelope("lobby", "bob", "alice", 8, true, [4])); // a peer that thought her away

        var peer = CreateTestProbe();
        peer.Send(_room, new RoomSpan.Hello("lobby", peer.Ref));
        var snapshot = await peer.ExpectMsgAsync<RoomSpan.Presence>();
        peer.Send(_room, new RoomSpan.PresenceAck("lobby", snapshot.Version));

        var stored = Frames.Decode<StoredEnvelope>((await alice.ExpectMsgAsync<ClientTransport.Send>()).Frame);
        Assert.Equal(8ul, stored.Envelope.Id);
        peer.Send(_room, new RoomSpan.Stored("lobby", "alice"));
        await alice.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(300)); // handed over once, not again
    }

    [Fact]
    public async Task A_member_whose_server_is_stopping_becomes_away_first_so_what_follows_is_kept()
    {
        var (alice, aliceMember) = await JoinAsync(_alice);
        var (bob, bobMember) = await JoinAsync(_bob);
        await alice.ReceiveWhileAsync(TimeSpan.FromMilliseconds(200), m => m).ToListAsync();
        var peer = await PeerWithAsync(_bob);

        aliceMember.Tell(new Member.Away(alice.Ref)); // her transport, as the server stops
        await alice.FishForMessageAsync(m => m is Room.Drained);
        Assert.Equal("alice", Frames.Decode<MemberAway>((await bob.ExpectMsgAsync<ClientTransport.Send>()).Frame).Member.Name);
        Assert.Equal("alice", ((RoomSpan.MemberGone)await peer.FishForMessageAsync(m => m is RoomSpan.MemberGone)).Name);

        bobMember.Tell(new Member.Publish(new Envelope("lobby", "", "alice", 11, true, [7])));
        Assert.Equal(11ul, Frames.Decode<EnvelopeAck>((await bob.ExpectMsgAsync<ClientTransport.Send>()).Frame).Id);
        Assert.Equal(11ul, Assert.Single(_store.Pending("lobby", "alice")).Envelope.Id);
        await alice.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(200)); // nothing more to a connection about to close
    }

    // Issue 17, item 7: the member list a joiner gets holds the members on every node, and one
    // RoomJoined carries at most WireLimits.MaxMembers; the room's cap counts them all, so a room spread
    // over nodes cannot outgrow it (the transport used to throw encoding it and drop the joiner silently).
    [Fact]
    public async Task The_room_size_cap_counts_the_members_on_other_nodes_too()
    {
        using var carol = new TestIdentity("carol");
        var settings = new ServerSettings { MaxRoomMembers = 2, Cluster = new ClusterSettings { Enabled = true } };
        var room = Sys.ActorOf(Room.Props("attic", settings, StoreActors.Start(Sys, _store)), "attic");
        var peer = CreateTestProbe();
        peer.Send(room, new RoomSpan.Presence("attic", 1, [_bob.Member, carol.Member], Reply: false));
        await peer.ExpectMsgAsync<RoomSpan.Presence>();
        await peer.ExpectMsgAsync<RoomSpan.PresenceAck>();

        var alice = CreateTestProbe();
        room.Tell(new Room.Join("attic", _alice.Member, alice.Ref));

        var refused = await alice.ExpectMsgAsync<Room.JoinRefused>();
        Assert.Equal(ErrorCodes.RoomFull, refused.Code);
    }

    private async Task<Akka.TestKit.TestProbe> PeerWithAsync(TestIdentity member)
    {
        var peer = CreateTestProbe();
        peer.Send(_room, new RoomSpan.Presence("lobby", 1, [member.Member], Reply: false));
        await peer.ExpectMsgAsync<RoomSpan.Presence>();
        await peer.ExpectMsgAsync<RoomSpan.PresenceAck>();
        return peer;
    }

    private async Task<(Akka.TestKit.TestProbe Transport, IActorRef Member)> JoinAsync(TestIdentity who)
    {
        var transport = CreateTestProbe();
        _room.Tell(new Room.Join("lobby", who.Member, transport.Ref));
        var joined = await transport.ExpectMsgAsync<Room.Joined>();
        await transport.ReceiveWhileAsync(TimeSpan.FromMilliseconds(200), m => m).ToListAsync(); // away members, stored
        return (transport, joined.Member);
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            _store.Dispose();
            StoreDirs.Delete(_dataDir);
            _alice.Dispose();
            _bob.Dispose();
        }
    }
}
