using Entice.Server;
using Entice.Tests.Support;
using Entice.Wire;
using Entice.Server.Store;

namespace Entice.Tests.Server;

/// <summary>The store on its single-node backend: SQLite in a data directory.</summary>
public sealed class SqliteOfflineStoreSpecs : OfflineStoreSpecs
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "entice-test-store-" + Guid.NewGuid().ToString("N"));

    protected override OfflineStore OpenStore(int maxPerRecipient, Func<DateTimeOffset> clock) =>
        OfflineStore.Open(_dir, maxPerRecipient, TimeSpan.FromDays(7), clock);

    protected override OfflineStore OpenWithSenderQuota(int maxPerSender) => OfflineStore.Open(_dir, maxPerSender: maxPerSender);

    protected override void DeleteStorage() => StoreDirs.Delete(_dir);
}

/// <summary>The store on its cluster backend: a PostgreSQL database of the test's own.</summary>
public sealed class PostgresOfflineStoreSpecs : OfflineStoreSpecs
{
    private readonly PostgresTestDatabase _database = PostgresServer.CreateDatabase();

    protected override OfflineStore OpenStore(int maxPerRecipient, Func<DateTimeOffset> clock) =>
        OfflineStore.OpenPostgres(_database.ConnectionString, maxPerRecipient, TimeSpan.FromDays(7), clock);

    protected override OfflineStore OpenWithSenderQuota(int maxPerSender) => OfflineStore.OpenPostgres(_database.ConnectionString, maxPerSender: maxPerSender);

    protected override void DeleteStorage() => _database.Dispose();
}

/// <summary>
/// What both backends must do alike. Every <see cref="OpenStore"/> reaches the same data, as a restarted
/// server or a second node would; stores opened side by side stand for two nodes.
/// </summary>
public abstract partial class OfflineStoreSpecs : IDisposable
{
    private readonly TestIdentity _bob = new("bob");
    private DateTimeOffset _now = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);

    protected abstract OfflineStore OpenStore(int maxPerRecipient, Func<DateTimeOffset> clock);

    protected abstract void DeleteStorage();

    [Fact]
    public void Waiting_envelopes_come_back_in_order_from_a_reopened_store_and_go_once_deleted()
    {
        using (var store = Open())
        {
            store.RememberMember("lobby", _bob.Member);
            for (ulong i = 1; i <= 3; i++)
                Assert.True(store.Enqueue("lobby", "bob", Env(i)));
        }

        using var reopened = Open();
        Assert.Equal("bob", Assert.Single(reopened.Members("lobby")).Name);
        var pending = reopened.Pending("lobby", "bob");
        Assert.Equal([1UL, 2UL, 3UL], pending.Select(p => p.Envelope.Id));
        Assert.False(reopened.Delete("mallory", pending[0].Seq)); // only the recipient can take it
        Assert.True(reopened.Delete("bob", pending[0].Seq));
        Assert.Equal([2UL, 3UL], reopened.Pending("lobby", "bob").Select(p => p.Envelope.Id));
    }

    [Fact]
    public void A_full_queue_refuses_and_old_envelopes_expire()
    {
        using var store = Open(maxPerRecipient: 2);
        Assert.True(store.Enqueue("lobby", "bob", Env(1)));
        Assert.True(store.Enqueue("lobby", "bob", Env(2)));
        Assert.False(store.Enqueue("lobby", "bob", Env(3)));

        _now += TimeSpan.FromDays(8);

        Assert.Empty(store.Pending("lobby", "bob"));
    }

    [Fact]
    public void Forgetting_a_member_drops_them_from_the_room()
    {
        using var store = Open();
        store.RememberMember("lobby", _bob.Member);
        store.ForgetMember("lobby", "bob");
        Assert.Empty(store.Members("lobby"));
    }

    [Fact]
    public void A_member_remembered_again_is_kept_once_with_the_newest_keys()
    {
        using var newBob = new TestIdentity("bob");
        using var store = Open();
        store.RememberMember("lobby", _bob.Member);
        store.RememberMember("lobby", newBob.Member);
        Assert.Equal(newBob.Bundle.SigningKey, Assert.Single(store.Members("lobby")).Identity.SigningKey);
    }

    [Fact]
    public void An_envelope_stored_through_one_node_waits_on_another_and_is_gone_for_both_once_deleted()
    {
        using var a = Open();
        using var b = Open();
        for (ulong i = 1; i <= 3; i++)
            Assert.True(a.Enqueue("lobby", "bob", Env(i)));

        var pending = b.Pending("lobby", "bob");
        Assert.Equal([1UL, 2UL, 3UL], pending.Select(p => p.Envelope.Id));
        Assert.True(b.Delete("bob", pending[0].Seq));
        Assert.Equal([2UL, 3UL], a.Pending("lobby", "bob").Select(p => p.Envelope.Id));
    }

    // The bug: prekeys were kept by name, clients number theirs from 1, and a new identity's ids 1..n were
    // ignored as already known, so a peer was handed the old identity's key and its first message to the
    // new one could not be decrypted.
    [Fact]
    public void A_new_identity_taking_over_a_name_hands_out_its_own_prekeys_only()
    {
        using var store = Open();
        Assert.Equal(3, store.PublishPrekeys("bob", Owner(1), Prekeys(1, 3, key: 0xA0)));

        store.BindPrekeys("bob", Owner(2));
        Assert.Equal(3, store.PublishPrekeys("bob", Owner(2), Prekeys(1, 3, key: 0xB0)));

        var taken = Enumerable.Range(0, 3).Select(_ => store.TakePrekey("bob")!).ToList();
        Assert.Equal([1u, 2u, 3u], taken.Select(p => p.Id));
        Assert.All(taken, p => Assert.Equal(0xB0 + p.Id, p.PublicKey[0]));
        Assert.Null(store.TakePrekey("bob"));
    }

    [Fact]
    public void A_prekey_given_out_is_never_accepted_again_from_its_owner_even_after_the_name_changed_hands()
    {
        using var store = Open();
        store.PublishPrekeys("bob", Owner(1), Prekeys(1, 3, key: 0xA0));
        Assert.Equal(1u, store.TakePrekey("bob")!.Id);
        Assert.Equal(2, store.PublishPrekeys("bob", Owner(1), Prekeys(1, 3, key: 0xA0))); // id 1 refused

        store.BindPrekeys("bob", Owner(2)); // someone else holds the name for a while
        store.BindPrekeys("bob", Owner(1)); // and the first identity is back, republishing what it holds
        Assert.Equal(2, store.PublishPrekeys("bob", Owner(1), Prekeys(1, 3, key: 0xA0)));
        Assert.Equal([2u, 3u], new[] { store.TakePrekey("bob")!.Id, store.TakePrekey("bob")!.Id });
    }

    [Fact]
    public void At_most_MaxPrekeysPerName_are_kept_for_a_name()
    {
        using var store = Open();
        Assert.Equal(OfflineStore.MaxPrekeysPerName, store.PublishPrekeys("bob", Owner(1), Prekeys(1, OfflineStore.MaxPrekeysPerName + 50, key: 0)));
        Assert.Equal(OfflineStore.MaxPrekeysPerName, store.AvailablePrekeys("bob"));
    }

    [Fact]
    public async Task Nodes_taking_prekeys_at_once_hand_out_each_exactly_once()
    {
        var (a, b) = await OpenTwoAtOnceAsync();
        using (a)
        using (b)
        {
            a.PublishPrekeys("bob", Owner(1), Prekeys(1, 100, key: 0));
            var taken = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => Task.Run(() => (i % 2 == 0 ? a : b).TakePrekey("bob"))));

            var ids = taken.OfType<OneTimePrekey>().Select(p => p.Id).ToList();
            Assert.Equal(100, ids.Count);
            Assert.Equal(Enumerable.Range(1, 100).Select(i => (uint)i), ids.Order());
            Assert.Equal(0, a.AvailablePrekeys("bob"));
        }
    }

    [Fact]
    public void A_free_name_is_granted_and_its_holder_can_move_to_another_node()
    {
        using var store = Open();
        Assert.Equal(new NameClaim(true, null), store.ClaimName("bob", Owner(1), "node-a"));
        Assert.Equal(new NameClaim(true, null), store.ClaimName("bob", Owner(1), "node-a")); // the same node again
        Assert.Equal(new NameClaim(true, "node-a"), store.ClaimName("bob", Owner(1), "node-b"));
        Assert.Equal(new NameClaim(true, null), store.ClaimName("bob", Owner(1), "node-b"));
    }

    [Fact]
    public void A_name_held_by_another_identity_is_refused_until_its_node_releases_it()
    {
        using var store = Open();
        store.ClaimName("bob", Owner(1), "node-a");
        store.ClaimName("bob", Owner(1), "node-b");
        Assert.False(store.ClaimName("bob", Owner(2), "node-c").Granted);

        store.ReleaseName("bob", "node-a"); // late: the name moved to node-b since
        Assert.False(store.ClaimName("bob", Owner(2), "node-c").Granted);

        store.ReleaseName("bob", "node-b");
        Assert.Equal(new NameClaim(true, null), store.ClaimName("bob", Owner(2), "node-c"));
    }

    [Fact]
    public void Releasing_a_node_frees_every_name_it_held_and_no_other()
    {
        using var store = Open();
        store.ClaimName("alice", Owner(1), "node-a");
        store.ClaimName("bob", Owner(2), "node-a");
        store.ClaimName("carol", Owner(3), "node-b");

        Assert.Equal(2, store.ReleaseNode("node-a"));

        Assert.True(store.ClaimName("alice", Owner(9), "node-b").Granted);
        Assert.True(store.ClaimName("bob", Owner(9), "node-b").Granted);
        Assert.False(store.ClaimName("carol", Owner(9), "node-b").Granted);
    }

    [Fact]
    public async Task Two_identities_claiming_one_free_name_on_two_nodes_at_once_get_exactly_one_grant()
    {
        var (a, b) = await OpenTwoAtOnceAsync();
        using (a)
        using (b)
        {
            var names = Enumerable.Range(0, 20).Select(i => $"name{i}").ToList();
            var claims = await Task.WhenAll(names.SelectMany(name => new[]
            {
                Task.Run(() => a.ClaimName(name, Owner(1), "node-a").Granted),
                Task.Run(() => b.ClaimName(name, Owner(2), "node-b").Granted),
            }));

            Assert.All(claims.Chunk(2), pair => Assert.Equal(1, pair.Count(granted => granted)));
        }
    }

    [Fact]
    public void A_name_belongs_to_the_identity_that_claimed_it_first_across_nodes()
    {
        using var a = Open();
        using var b = Open();
        Assert.Equal(NameOwnershipResult.Owned, a.OwnName("bob", NameProfile.Skeleton("bob"), Owner(1), Unused).Result);

        Assert.Equal(NameOwnershipResult.OwnedByOther, b.OwnName("bob", NameProfile.Skeleton("bob"), Owner(2), Unused).Result);
        Assert.Equal(NameOwnershipResult.Owned, b.OwnName("bob", NameProfile.Skeleton("bob"), Owner(1), Unused).Result);
        Assert.Equal(Owner(1), a.OwnerOf("bob"));
    }

    [Fact]
    public void A_name_that_looks_like_an_owned_one_is_refused_to_other_identities_and_says_which()
    {
        using var store = Open();
        store.OwnName("alice", NameProfile.Skeleton("alice"), Owner(1), Unused);

        var cyrillic = store.OwnName("\u0430lice", NameProfile.Skeleton("\u0430lice"), Owner(2), Unused);
        Assert.Equal(new NameOwnership(NameOwnershipResult.Confusable, "alice"), cyrillic);
        Assert.Equal(NameOwnershipResult.Owned, store.OwnName("a1ice", NameProfile.Skeleton("a1ice"), Owner(1), Unused).Result);
    }

    [Fact]
    public void A_released_name_takes_what_was_kept_for_its_owner_with_it()
    {
        using var store = Open();
        store.OwnName("bob", "bob", Owner(1), Unused);
        store.RememberMember("lobby", _bob.Member);
        Assert.True(store.Enqueue("lobby", "bob", Env(1)));
        store.PublishPrekeys("bob", Owner(1), Prekeys(1, 3, 0));

        Assert.True(store.ReleaseOwnedName("bob"));

        Assert.Empty(store.Pending("lobby", "bob")); // never delivered to the next owner
        Assert.Null(store.TakePrekey("bob"));
        Assert.Equal(NameOwnershipResult.Owned, store.OwnName("bob", "bob", Owner(2), Unused).Result);
        Assert.False(store.ReleaseOwnedName("nobody"));
    }

    [Fact]
    public void A_name_unused_for_the_configured_time_is_released_and_one_in_use_is_not()
    {
        using var store = Open();
        store.OwnName("bob", "bob", Owner(1), TimeSpan.FromDays(90));
        store.OwnName("carol", "carol", Owner(3), TimeSpan.FromDays(90));
        _now += TimeSpan.FromDays(60);
        store.OwnName("carol", "carol", Owner(3), TimeSpan.FromDays(90)); // carol connected again
        _now += TimeSpan.FromDays(31);

        Assert.Equal(NameOwnershipResult.Owned, store.OwnName("bob", "bob", Owner(2), TimeSpan.FromDays(90)).Result);
        Assert.Equal(NameOwnershipResult.OwnedByOther, store.OwnName("carol", "carol", Owner(2), TimeSpan.FromDays(90)).Result);
    }

    [Fact]
    public void Remembered_members_are_trimmed_to_the_most_recently_seen_and_the_unexpired()
    {
        using var store = Open();
        var people = Enumerable.Range(0, 5).Select(i => new TestIdentity($"m{i}")).ToList();
        foreach (var p in people)
        {
            store.RememberMember("lobby", p.Member);
            _now += TimeSpan.FromDays(1);
        }
        store.MarkAway("lobby", "m0"); // m0 was seen last

        var kept = store.TrimmedMembers("lobby", _now - TimeSpan.FromDays(3.5), keepAtMost: 3);

        Assert.Equal(["m3", "m4", "m0"], kept.Select(k => k.Member.Name)); // m1, m2: unseen too long
        Assert.Equal(3, store.Members("lobby").Count);
        people.ForEach(p => p.Dispose());
    }

    [Fact]
    public void One_sender_can_keep_only_its_quota_whoever_the_recipients_are()
    {
        using var quota = OpenWithSenderQuota(3);
        Assert.True(quota.Enqueue("lobby", "bob", Env(1)));
        Assert.True(quota.Enqueue("lobby", "carol", Env(2)));
        Assert.True(quota.Enqueue("lobby", "dave", Env(3)));

        Assert.False(quota.Enqueue("lobby", "erin", Env(4)));
        Assert.True(quota.SenderQuotaReached("alice"));
        Assert.True(quota.Enqueue("lobby", "erin", Env(5) with { Sender = "zed" }));
    }

    protected abstract OfflineStore OpenWithSenderQuota(int maxPerSender);

    private static readonly TimeSpan Unused = TimeSpan.FromDays(90);

    // Two nodes starting together both create the schema if missing; neither may fail.
    private async Task<(OfflineStore A, OfflineStore B)> OpenTwoAtOnceAsync()
    {
        var stores = await Task.WhenAll(Task.Run(() => Open()), Task.Run(() => Open()));
        return (stores[0], stores[1]);
    }

    private OfflineStore Open(int maxPerRecipient = 1000) => OpenStore(maxPerRecipient, () => _now);

    private static Envelope Env(ulong id) => new("lobby", "alice", "bob", id, true, [1, 2, 3]);

    private static byte[] Owner(byte b) => Enumerable.Repeat(b, 32).ToArray();

    private static List<OneTimePrekey> Prekeys(int first, int last, int key) =>
        [.. Enumerable.Range(first, last - first + 1).Select(id => new OneTimePrekey((uint)id, Enumerable.Repeat((byte)(key + id), 32).ToArray()))];

    public void Dispose()
    {
        _bob.Dispose();
        DeleteStorage();
    }
}
