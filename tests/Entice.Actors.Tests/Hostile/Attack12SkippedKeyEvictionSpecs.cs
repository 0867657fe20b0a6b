using Entice.Tests.Crypto;
using static Entice.Tests.Crypto.Wire;

namespace Entice.Tests.Hostile;

/// <summary>
/// Attack 12 of issue 10: the skipped message keys (for messages that arrive late) were capped only in
/// total, so one peer skipping far ahead again and again evicted everyone else's, and their late messages
/// then failed as replays. Now each peer has its own cap (250 by default) inside the total (1,000).
/// </summary>
public sealed class Attack12SkippedKeyEvictionSpecs : IDisposable
{
    private const int Total = 1000;
    private const int PerPeer = 250;
    private readonly Party _bob = new("bob", maxSkip: Total, maxSkipPerPeer: PerPeer);
    private readonly Party _alice = new("alice");
    private readonly Party _mallory = new("mallory");

    [Fact]
    public void A_peer_that_keeps_skipping_ahead_cannot_evict_another_peers_skipped_keys()
    {
        // Alice's first message arrives; her next three are late (their keys are kept by bob).
        AssertDecryptsTo("a0", Receive(_bob, _alice, Send(_alice, _bob, "a0")));
        var late = Enumerable.Range(1, 3).Select(i => Send(_alice, _bob, $"a{i}")).ToList();
        AssertDecryptsTo("a4", Receive(_bob, _alice, Send(_alice, _bob, "a4")));

        // Mallory, a genuine member, sends on eight new chains, each time only the message 240 steps ahead.
        AssertDecryptsTo("m", Receive(_bob, _mallory, Send(_mallory, _bob, "m")));
        for (var round = 0; round < 8; round++)
        {
            AssertDecryptsTo("turn", Receive(_mallory, _bob, Send(_bob, _mallory, "turn")));
            byte[] far = [];
            for (var i = 0; i <= 240; i++)
                far = Send(_mallory, _bob, $"m{round}.{i}");
            AssertDecryptsTo($"m{round}.240", Receive(_bob, _mallory, far));
        }

        Assert.True(_bob.Book.SkippedKeyCountFor("mallory") <= PerPeer);
        Assert.Equal(3, _bob.Book.SkippedKeyCountFor("alice"));
        for (var i = 0; i < late.Count; i++)
            AssertDecryptsTo($"a{i + 1}", Receive(_bob, _alice, late[i]));
    }

    public void Dispose()
    {
        _bob.Dispose();
        _alice.Dispose();
        _mallory.Dispose();
    }
}
