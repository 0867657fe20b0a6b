using Entice.Client;
using Entice.Tests.Hostile;
using Entice.Tests.Support;
using Entice.Wire;
using Xunit.Abstractions;
using Entice.Client.Keys;

namespace Entice.Tests.Client;

/// <summary>
/// The crypto actor's throttle on session starts: after a few failures in a row from one peer the rest are
/// refused unread, one is tried per interval, a message that decrypts ends it, and messages on sessions
/// already held (from that peer or anyone else) are never held back.
/// </summary>
public sealed class CryptoAgentThrottleSpecs(ITestOutputHelper output) : CryptoAgentTestKit(output)
{
    private DateTimeOffset _now = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Failed_session_starts_throttle_only_that_peer_and_a_genuine_one_ends_it()
    {
        var options = new CryptoAgent.Options { Clock = () => _now, ThrottleAfter = 3, ThrottleInterval = TimeSpan.FromSeconds(1) };
        var bob = await StartAsync("bob", options: options);
        var alice = await StartAsync("alice");
        var mallory = await StartAsync("mallory");
        await IntroduceAsync(alice, bob);
        await IntroduceAsync(mallory, bob);
        Assert.Equal("hi", await SendAsync(alice, bob, "hi"));

        async Task<string> ForgedAsync() => Assert.IsType<CryptoAgent.DecryptRejected>(await DecryptAsync(bob,
            new Envelope("lobby", "mallory", "bob", 9, false, ForgedCiphertexts.PrekeyMessage(bob.Info.Identity.PrekeyId, 0)), mallory.Info)).Reason;

        for (var i = 0; i < 3; i++)
            Assert.Contains("failed authentication", await ForgedAsync(), StringComparison.Ordinal);
        Assert.Contains("not tried", await ForgedAsync(), StringComparison.Ordinal);
        Assert.Equal("alice is not held back", await SendAsync(alice, bob, "alice is not held back"));

        _now += TimeSpan.FromSeconds(1);
        Assert.Contains("failed authentication", await ForgedAsync(), StringComparison.Ordinal); // one per interval
        Assert.Contains("not tried", await ForgedAsync(), StringComparison.Ordinal);

        _now += TimeSpan.FromSeconds(1);
        Assert.Equal("a real session start", await SendAsync(mallory, bob, "a real session start"));
        Assert.Contains("failed authentication", await ForgedAsync(), StringComparison.Ordinal); // the record was cleared
    }
}
