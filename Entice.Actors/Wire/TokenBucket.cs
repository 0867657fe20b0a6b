namespace Entice.Server;

/// <summary>
/// Per-connection rate limit: <see cref="Burst"/> tokens, refilled at <see cref="RatePerSecond"/>.
/// Time is passed in, so the bucket is pure and its tests need no clock. A rate of 0 means no limit.
/// </summary>
public sealed class TokenBucket
{
    private double _tokens;
    private long _lastTicks;

    public TokenBucket(double ratePerSecond, int burst, long nowTicks)
    {
        RatePerSecond = ratePerSecond;
        Burst = Math.Max(1, burst);
        _tokens = Burst;
        _lastTicks = nowTicks;
    }

    public double RatePerSecond { get; }

    public int Burst { get; }

    /// <summary>Takes one token if there is one; <paramref name="nowTicks"/> in <see cref="TimeSpan"/> ticks.</summary>
    public bool TryTake(long nowTicks)
    {
        if (RatePerSecond <= 0)
            return true;
        var elapsed = Math.Max(0, nowTicks - _lastTicks);
        _lastTicks = nowTicks;
        _tokens = Math.Min(Burst, _tokens + elapsed * RatePerSecond / TimeSpan.TicksPerSecond);
        if (_tokens < 1)
            return false;
        _tokens -= 1;
        return true;
    }
}
