using Akka.Actor;
using Akka.TestKit.Xunit2;
using Entice.Client;
using Entice.Client.Keys;
using Entice.Tests.Support;
using Entice.Wire;
using Xunit.Abstractions;

namespace Entice.Tests.Client.Rooms;

/// <summary>
/// Issue 12: a new member shows as joined only once its identity is known and pinned (the crypto actor's
/// answer to ObservePeer, given after the pin is saved); keys that do not verify never show a join, and a
/// changed key shows it only once trusted. What the newcomer says right after still comes after "joined".
/// </summary>
public sealed class JoinAfterPinSpecs(ITestOutputHelper output) : TestKit("akka.loglevel = WARNING", output: output)
{
    [Fact]
    public async Task A_newcomer_is_shown_as_joined_only_after_its_keys_are_pinned()
    {
        using var h = new ChatHarness(this);
        using var carol = new TestIdentity("carol");
        await h.AdmitAsync();

        h.FromServer(1, new MemberJoined("lobby", carol.Member));
        var observe = await h.Crypto.FishForMessageAsync<CryptoAgent.ObservePeer>(o => o.Peer.Name == "carol");
        var chat = h.Crypto.LastSender;
        await Assert.ThrowsAnyAsync<Exception>(async () =>
            await h.View.FishForMessageAsync<MemberJoinedEvent>(_ => true, TimeSpan.FromMilliseconds(500)));

        chat.Tell(new CryptoAgent.PeerObserved(observe.Peer.Name, PeerKeyStatus.New), h.Crypto.Ref);
        var joined = await h.View.FishForMessageAsync<MemberJoinedEvent>(_ => true);
        Assert.Equal(("lobby", "carol"), (joined.Room, joined.Name));
    }

    [Fact]
    public async Task Keys_that_do_not_verify_never_show_a_join_and_a_changed_key_shows_it_once_trusted()
    {
        using var h = new ChatHarness(this);
        using var carol = new TestIdentity("carol");
        using var dave = new TestIdentity("dave");
        await h.AdmitAsync();

        h.FromServer(1, new MemberJoined("lobby", carol.Member));
        await h.Crypto.FishForMessageAsync<CryptoAgent.ObservePeer>(o => o.Peer.Name == "carol");
        var chat = h.Crypto.LastSender;
        chat.Tell(new CryptoAgent.PeerObserved("carol", PeerKeyStatus.Invalid), h.Crypto.Ref);
        h.FromServer(1, new MemberJoined("lobby", dave.Member));
        await h.Crypto.FishForMessageAsync<CryptoAgent.ObservePeer>(o => o.Peer.Name == "dave");
        chat.Tell(new CryptoAgent.PeerObserved("dave", PeerKeyStatus.Changed), h.Crypto.Ref);
        await h.View.FishForMessageAsync<KeyChangedEvent>(k => k.Peer == "dave");
        await Assert.ThrowsAnyAsync<Exception>(async () =>
            await h.View.FishForMessageAsync<MemberJoinedEvent>(_ => true, TimeSpan.FromMilliseconds(500)));

        chat.Tell(new CryptoAgent.TrustAccepted("dave"), h.Crypto.Ref);
        var joined = await h.View.FishForMessageAsync<MemberJoinedEvent>(_ => true);
        Assert.Equal(("lobby", "dave"), (joined.Room, joined.Name));
    }
}
