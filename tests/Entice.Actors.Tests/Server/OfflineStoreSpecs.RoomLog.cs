using Entice.Server.Store;
using Entice.Tests.Support;
using Entice.Wire;

namespace Entice.Tests.Server;

/// <summary>Room-wide envelopes kept for members who are away: the room's log and each member's cursor, on both backends.</summary>
public abstract partial class OfflineStoreSpecs
{
    [Fact]
    public void A_room_envelope_is_stored_once_and_each_away_member_gets_it_once_in_order_with_direct_ones_even_after_a_restart()
    {
        using var alice = new TestIdentity("alice");
        using var carol = new TestIdentity("carol");
        using var dave = new TestIdentity("dave");
        using (var store = Open())
        {
            foreach (var who in new[] { alice, _bob, carol, dave })
                store.RememberMember("lobby", who.Member); // all present
            store.MarkAway("lobby", "bob");
            store.MarkAway("lobby", "carol");

            Assert.True(store.Enqueue("lobby", "bob", Env(1)));
            Assert.True(store.EnqueueForRoom("lobby", RoomEnv(2)));
            Assert.True(store.Enqueue("lobby", "bob", Env(3)));

            var forBob = store.Pending("lobby", "bob");
            var forCarol = store.Pending("lobby", "carol");
            Assert.Equal([1UL, 2UL, 3UL], forBob.Select(p => p.Envelope.Id));
            Assert.Equal(2UL, Assert.Single(forCarol).Envelope.Id);
            Assert.Equal(forBob[1].Seq, forCarol[0].Seq); // one row for both
            Assert.Empty(store.Pending("lobby", "dave")); // present: had it live
            Assert.Empty(store.Pending("lobby", "alice")); // its sender
        }

        using (var restarted = Open())
        {
            restarted.RememberMember("lobby", _bob.Member); // bob is back
            var pending = restarted.Pending("lobby", "bob");
            Assert.Equal([1UL, 2UL, 3UL], pending.Select(p => p.Envelope.Id));
            foreach (var p in pending)
                Assert.True(restarted.Delete("bob", p.Seq));
            Assert.Empty(restarted.Pending("lobby", "bob"));
            Assert.False(restarted.Delete("bob", pending[1].Seq)); // once only
            Assert.Equal([2UL], restarted.Pending("lobby", "carol").Select(p => p.Envelope.Id)); // carol's still waits
        }

        using var again = Open();
        again.MarkAway("lobby", "bob");
        again.RememberMember("lobby", _bob.Member);
        Assert.Empty(again.Pending("lobby", "bob")); // not twice after a restart
        again.RememberMember("lobby", carol.Member);
        var last = Assert.Single(again.Pending("lobby", "carol"));
        Assert.True(again.Delete("carol", last.Seq));
        // Nobody is owed it any more: the row is gone (a newcomer's quota sees nothing of alice's).
        using var quota = OpenWithSenderQuota(1);
        Assert.True(quota.EnqueueForRoom("lobby", RoomEnv(4)));
    }

    [Fact]
    public void A_member_present_when_a_room_envelope_was_kept_for_others_is_not_handed_it_later()
    {
        using var carol = new TestIdentity("carol");
        using var store = Open();
        store.RememberMember("lobby", _bob.Member);
        store.RememberMember("lobby", carol.Member);
        store.MarkAway("lobby", "carol");
        Assert.True(store.EnqueueForRoom("lobby", RoomEnv(1))); // bob present: had it live

        store.MarkAway("lobby", "bob");
        Assert.True(store.EnqueueForRoom("lobby", RoomEnv(2)));
        store.RememberMember("lobby", _bob.Member); // back: owed 2 only
        Assert.True(store.EnqueueForRoom("lobby", RoomEnv(3))); // bob present again: has it live

        Assert.Equal([2UL], store.Pending("lobby", "bob").Select(p => p.Envelope.Id));
        Assert.Equal([1UL, 2UL, 3UL], store.Pending("lobby", "carol").Select(p => p.Envelope.Id));
    }

    [Fact]
    public void One_sender_keeps_at_most_the_per_recipient_limit_in_a_rooms_log_and_others_are_not_crowded_out()
    {
        using var store = Open(maxPerRecipient: 2);
        store.RememberMember("lobby", _bob.Member);
        store.MarkAway("lobby", "bob");

        Assert.True(store.EnqueueForRoom("lobby", RoomEnv(1)));
        Assert.True(store.EnqueueForRoom("lobby", RoomEnv(2) with { Sender = "zed" }));
        Assert.True(store.EnqueueForRoom("lobby", RoomEnv(3)));
        Assert.True(store.EnqueueForRoom("lobby", RoomEnv(4))); // alice's share of lobby's log was full: her oldest goes
        Assert.True(store.Enqueue("lobby", "bob", Env(5)));

        store.RememberMember("lobby", _bob.Member);
        Assert.Equal([2UL, 3UL, 4UL, 5UL], store.Pending("lobby", "bob").Select(p => p.Envelope.Id));
    }

    [Fact]
    public void Room_envelopes_count_against_their_senders_quota()
    {
        using var quota = OpenWithSenderQuota(2);
        Assert.True(quota.Enqueue("lobby", "bob", Env(1)));
        Assert.True(quota.EnqueueForRoom("lobby", RoomEnv(2)));
        Assert.False(quota.EnqueueForRoom("lobby", RoomEnv(3)));
        Assert.False(quota.Enqueue("lobby", "bob", Env(4)));
    }

    private static Envelope RoomEnv(ulong id) => new("lobby", "alice", "", id, false, [4, 5, 6]);
}
