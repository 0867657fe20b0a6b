using Entice.Server;
using Entice.Tests.Support;
using Entice.Wire;

namespace Entice.Tests.Server;

public sealed class OfflineStoreSpecs : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "entice-test-store-" + Guid.NewGuid().ToString("N"));
    private readonly TestIdentity _bob = new("bob");
    private DateTimeOffset _now = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);

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

    private OfflineStore Open(int maxPerRecipient = 1000) => OfflineStore.Open(_dir, maxPerRecipient, TimeSpan.FromDays(7), () => _now);

    private static Envelope Env(ulong id) => new("lobby", "alice", "bob", id, true, [1, 2, 3]);

    public void Dispose()
    {
        _bob.Dispose();
        StoreDirs.Delete(_dir);
    }
}
