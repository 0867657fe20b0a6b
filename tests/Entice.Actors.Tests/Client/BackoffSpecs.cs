using Entice.Client;

namespace Entice.Tests.Client;

/// <summary>Reconnect delays: doubling up to the maximum, jittered, and back to the start after a success.</summary>
public sealed class BackoffSpecs
{
    private static readonly TimeSpan Initial = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan Max = TimeSpan.FromSeconds(30);

    [Fact]
    public void Delays_double_up_to_the_maximum_each_within_twenty_percent()
    {
        var backoff = new Backoff(Initial, Max, new Random(7));
        double[] expected = [0.5, 1, 2, 4, 8, 16, 30, 30, 30];

        foreach (var seconds in expected)
        {
            var delay = backoff.Next().TotalSeconds;
            Assert.InRange(delay, seconds * 0.8, seconds * 1.2);
        }
        Assert.Equal(expected.Length, backoff.Attempt);
    }

    [Fact]
    public void After_a_success_the_next_delay_is_short_again()
    {
        var backoff = new Backoff(Initial, Max, new Random(7));
        for (var i = 0; i < 10; i++)
            backoff.Next();

        backoff.Reset();

        Assert.InRange(backoff.Next().TotalSeconds, 0.4, 0.6);
    }

    [Fact]
    public void Many_failures_never_overflow_past_the_maximum()
    {
        var backoff = new Backoff(Initial, Max, new Random(7));
        for (var i = 0; i < 200; i++)
            Assert.InRange(backoff.Next().TotalSeconds, 0.4, 36);
    }

    [Fact]
    public void Clients_dropped_together_do_not_all_come_back_in_the_same_instant()
    {
        var delays = Enumerable.Range(0, 20).Select(seed => new Backoff(Initial, Max, new Random(seed)).Next()).ToHashSet();
        Assert.True(delays.Count > 10, $"only {delays.Count} distinct delays among 20 clients");
    }
}
