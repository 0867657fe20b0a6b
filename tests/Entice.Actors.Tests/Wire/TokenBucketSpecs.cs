using Entice.Wire;
using Entice.Transport;

namespace Entice.Tests.Wire;

/// <summary>The per-connection rate limit: a burst at once, then the rate; time is passed in.</summary>
public sealed class TokenBucketSpecs
{
    private static long Seconds(double s) => (long)(s * TimeSpan.TicksPerSecond);

    [Fact]
    public void A_burst_passes_at_once_and_the_next_is_refused()
    {
        var bucket = new TokenBucket(ratePerSecond: 10, burst: 5, nowTicks: 0);

        Assert.All(Enumerable.Range(0, 5), _ => Assert.True(bucket.TryTake(0)));
        Assert.False(bucket.TryTake(0));
    }

    [Fact]
    public void Tokens_come_back_at_the_rate()
    {
        var bucket = new TokenBucket(ratePerSecond: 10, burst: 5, nowTicks: 0);
        for (var i = 0; i < 5; i++)
            bucket.TryTake(0);

        Assert.False(bucket.TryTake(Seconds(0.05)));
        Assert.True(bucket.TryTake(Seconds(0.15)));
        Assert.False(bucket.TryTake(Seconds(0.15)));
    }

    [Fact]
    public void A_long_quiet_spell_refills_only_up_to_the_burst()
    {
        var bucket = new TokenBucket(ratePerSecond: 10, burst: 5, nowTicks: 0);
        for (var i = 0; i < 5; i++)
            bucket.TryTake(0);

        var taken = Enumerable.Range(0, 20).Count(_ => bucket.TryTake(Seconds(3600)));

        Assert.Equal(5, taken);
    }

    [Fact]
    public void A_clock_that_goes_back_neither_adds_tokens_nor_locks_the_connection_out()
    {
        var bucket = new TokenBucket(ratePerSecond: 10, burst: 1, nowTicks: Seconds(100));
        Assert.True(bucket.TryTake(Seconds(100)));

        Assert.False(bucket.TryTake(Seconds(1)));
        Assert.True(bucket.TryTake(Seconds(1.15)));
    }

    [Fact]
    public void A_rate_of_zero_means_no_limit()
    {
        var bucket = new TokenBucket(ratePerSecond: 0, burst: 1, nowTicks: 0);
        Assert.All(Enumerable.Range(0, 10_000), _ => Assert.True(bucket.TryTake(0)));
    }
}
