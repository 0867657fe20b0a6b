using Akka.Actor;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using Entice.Server;
using Entice.Tests.Support;
using Entice.Wire;
using Xunit.Abstractions;
using Entice.Server.Rooms;
using Entice.Transport;

namespace Entice.Tests.Server;

/// <summary>A room and its sessions, with test probes standing in for the members' transports.</summary>
public sealed class RoomSpecs : TestKit
{
    private readonly TestIdentity _alice = new("alice");
    private readonly TestIdentity _bob = new("bob");
    private readonly TestIdentity _carol = new("carol");
    private readonly IActorRef _room;

    public RoomSpecs(ITestOutputHelper output) : base("akka.loglevel = WARNING", output: output)
    {
        _room = Sys.ActorOf(Room.Props("lobby", new ServerSettings()), "lobby");
    }

    [Fact]
    public async Task A_member_joining_learns_who_is_there_and_the_others_learn_of_it()
    {
        var (alice, _) = await JoinAsync(_alice);
        var bobTransport = CreateTestProbe();
        _room.Tell(new Room.Join("lobby", _bob.Member, bobTransport.Ref));

        var joined = await bobTransport.ExpectMsgAsync<Room.Joined>();
        Assert.Equal("alice", Assert.Single(joined.Members).Name);
        var announce = Frames.Decode<MemberJoined>((await alice.ExpectMsgAsync<ClientTransport.Send>()).Frame);
        Assert.Equal("bob", announce.Member.Name);
        Assert.Equal(_bob.Bundle.SigningKey, announce.Member.Identity.SigningKey);
    }

    [Fact]
    public async Task A_room_envelope_reaches_every_other_member_stamped_with_the_real_sender()
    {
        var (alice, aliceMember) = await JoinAsync(_alice);
        var (bob, _) = await JoinAsync(_bob, alice);
        var (carol, _) = await JoinAsync(_carol, alice, bob);

        // The client claims to be carol; the session stamps who it really is.
        aliceMember.Tell(new Member.Publish(new Envelope("other-room", "carol", "", 42, false, [1, 2, 3])));

        foreach (var probe in new[] { bob, carol })
        {
            var env = Frames.Decode<Envelope>((await probe.ExpectMsgAsync<ClientTransport.Send>()).Frame);
            Assert.Equal("alice", env.Sender);
            Assert.Equal("lobby", env.Room);
            Assert.Equal(new byte[] { 1, 2, 3 }, env.Ciphertext);
        }
        // The sender hears only that its envelope was taken, never its own message back.
        Assert.Equal(42UL, Frames.Decode<EnvelopeAck>((await alice.ExpectMsgAsync<ClientTransport.Send>()).Frame).Id);
        await alice.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public async Task A_direct_envelope_reaches_only_its_recipient()
    {
        var (alice, aliceMember) = await JoinAsync(_alice);
        var (bob, _) = await JoinAsync(_bob, alice);
        var (carol, _) = await JoinAsync(_carol, alice, bob);

        aliceMember.Tell(new Member.Publish(new Envelope("lobby", "", "bob", 7, true, [9])));

        var env = Frames.Decode<Envelope>((await bob.ExpectMsgAsync<ClientTransport.Send>()).Frame);
        Assert.Equal(("alice", "bob", true), (env.Sender, env.Recipient, env.Direct));
        await carol.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(200));
        Assert.Equal(7UL, Frames.Decode<EnvelopeAck>((await alice.ExpectMsgAsync<ClientTransport.Send>()).Frame).Id);
        await alice.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public async Task A_direct_envelope_to_someone_absent_is_refused_with_an_error_to_the_sender()
    {
        var (alice, aliceMember) = await JoinAsync(_alice);

        aliceMember.Tell(new Member.Publish(new Envelope("lobby", "", "mallory", 8, true, [9])));

        var refused = Frames.Decode<EnvelopeRefused>((await alice.ExpectMsgAsync<ClientTransport.Send>()).Frame);
        Assert.Equal((8UL, ErrorCodes.NoSuchMember), (refused.Id, refused.Code));
    }

    [Fact]
    public async Task A_member_leaving_is_announced_and_receives_nothing_more()
    {
        var (alice, aliceMember) = await JoinAsync(_alice);
        var (bob, bobMember) = await JoinAsync(_bob, alice);

        bobMember.Tell(new Member.Leave());

        Assert.IsType<RoomLeft>(Frames.Decode((await bob.ExpectMsgAsync<ClientTransport.Send>()).Frame));
        Assert.Equal("bob", Frames.Decode<MemberLeft>((await alice.ExpectMsgAsync<ClientTransport.Send>()).Frame).Name);
        aliceMember.Tell(new Member.Publish(new Envelope("lobby", "", "", 1, false, [1])));
        await bob.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public async Task A_dropped_connection_removes_the_member()
    {
        var (alice, _) = await JoinAsync(_alice);
        var (bob, _) = await JoinAsync(_bob, alice);

        Sys.Stop(bob.Ref);

        Assert.Equal("bob", Frames.Decode<MemberLeft>((await alice.ExpectMsgAsync<ClientTransport.Send>()).Frame).Name);
    }

    [Fact]
    public async Task A_crashed_session_is_restarted_by_its_room_while_the_others_go_on()
    {
        var (alice, aliceMember) = await JoinAsync(_alice);
        var (bob, bobMember) = await JoinAsync(_bob, alice);
        var (carol, carolMember) = await JoinAsync(_carol, alice, bob);

        await EventFilter.Exception<NullReferenceException>().ExpectOneAsync(async () =>
        {
            bobMember.Tell(new Member.Publish(null!)); // a bug in handling bob's traffic
            await Task.Yield();
        });

        carolMember.Tell(new Member.Publish(new Envelope("lobby", "", "", 2, false, [5])));
        Assert.Equal("carol", Frames.Decode<Envelope>((await alice.ExpectMsgAsync<ClientTransport.Send>()).Frame).Sender);
        Assert.Equal("carol", Frames.Decode<Envelope>((await bob.ExpectMsgAsync<ClientTransport.Send>()).Frame).Sender);
        Frames.Decode<EnvelopeAck>((await carol.ExpectMsgAsync<ClientTransport.Send>()).Frame);

        // bob is still a member, reachable through the same session, and nobody was told he left.
        aliceMember.Tell(new Member.Publish(new Envelope("lobby", "", "bob", 3, true, [6])));
        Assert.Equal("alice", Frames.Decode<Envelope>((await bob.ExpectMsgAsync<ClientTransport.Send>()).Frame).Sender);
        await carol.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public async Task A_crashed_room_keeps_its_members_and_nobody_is_disconnected()
    {
        var (alice, aliceMember) = await JoinAsync(_alice);
        var (bob, _) = await JoinAsync(_bob, alice);

        await EventFilter.Exception<NullReferenceException>().ExpectOneAsync(async () =>
        {
            _room.Tell(new Room.Route(null!)); // a bug in the room's routing
            await Task.Yield();
        });

        await AwaitAssertAsync(async () =>
        {
            aliceMember.Tell(new Member.Publish(new Envelope("lobby", "", "bob", 9, true, [1])));
            var env = Frames.Decode<Envelope>((await bob.ExpectMsgAsync<ClientTransport.Send>(TimeSpan.FromMilliseconds(300))).Frame);
            Assert.Equal("alice", env.Sender);
        }, TimeSpan.FromSeconds(5));
        var carol = CreateTestProbe();
        _room.Tell(new Room.Join("lobby", _carol.Member, carol.Ref));
        var joined = await carol.ExpectMsgAsync<Room.Joined>();
        Assert.Equal(["alice", "bob"], joined.Members.Select(m => m.Name).Order());
    }

    [Fact]
    public async Task A_full_room_refuses_a_join_with_a_clear_error()
    {
        var small = Sys.ActorOf(Room.Props("tiny", new ServerSettings { MaxRoomMembers = 1 }));
        var alice = CreateTestProbe();
        small.Tell(new Room.Join("tiny", _alice.Member, alice.Ref));
        await alice.ExpectMsgAsync<Room.Joined>();

        var bob = CreateTestProbe();
        small.Tell(new Room.Join("tiny", _bob.Member, bob.Ref));

        Assert.Equal(ErrorCodes.RoomFull, (await bob.ExpectMsgAsync<Room.JoinRefused>()).Code);
    }

    [Fact]
    public async Task An_envelope_stamped_with_a_members_name_is_taken_only_from_that_members_connection()
    {
        var (alice, _) = await JoinAsync(_alice);
        var (bob, _) = await JoinAsync(_bob, alice);
        // Connections route straight to the room; an older connection of alice's (replaced since) or any
        // other actor cannot speak as her.
        var stale = CreateTestProbe();
        _room.Tell(new Room.Route(new Envelope("lobby", "alice", "", 5, false, [1])), stale.Ref);
        await bob.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(300));
        await stale.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(100));

        _room.Tell(new Room.Route(new Envelope("lobby", "alice", "", 6, false, [2])), alice.Ref);
        Assert.Equal(6UL, Frames.Decode<Envelope>((await bob.ExpectMsgAsync<ClientTransport.Send>()).Frame).Id);
        Assert.Equal(6UL, Frames.Decode<EnvelopeAck>((await alice.ExpectMsgAsync<ClientTransport.Send>()).Frame).Id);
    }

    private async Task<(TestProbe Transport, IActorRef Member)> JoinAsync(TestIdentity who, params TestProbe[] alreadyIn)
    {
        var transport = CreateTestProbe();
        _room.Tell(new Room.Join("lobby", who.Member, transport.Ref));
        var joined = await transport.ExpectMsgAsync<Room.Joined>();
        foreach (var other in alreadyIn)
            Assert.IsType<MemberJoined>(Frames.Decode((await other.ExpectMsgAsync<ClientTransport.Send>()).Frame));
        return (transport, joined.Member);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _alice.Dispose();
            _bob.Dispose();
            _carol.Dispose();
        }
        base.Dispose(disposing);
    }
}
