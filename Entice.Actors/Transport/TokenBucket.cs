namespace Entice.Transport;

/// <summary>
/// A rate limit: <see cref="Burst"/> tokens, refilled at <see cref="RatePerSecond"/>. The relay limits
/// each connection with it, and a client paces itself under that limit with one (<c>Client.Pacer</c>).
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
        Refill(nowTicks);
        if (_tokens < 1)
            return false;
        _tokens -= 1;
        return true;
    }

    /// <summary>How long until a token is there: zero when one is (or there is no limit).</summary>
    public TimeSpan TimeUntilToken(long nowTicks)
    {
        if (RatePerSecond <= 0)
            return TimeSpan.Zero;
        Refill(nowTicks);
        return _tokens >= 1 ? TimeSpan.Zero : TimeSpan.FromSeconds((1 - _tokens) / RatePerSecond);
    }

    // A clock that goes back adds nothing and takes nothing.
    private void Refill(long nowTicks)
    {
        var elapsed = Math.Max(0, nowTicks - _lastTicks);
        _lastTicks = nowTicks;
        _tokens = Math.Min(Burst, _tokens + elapsed * RatePerSecond / TimeSpan.TicksPerSecond);
    }
}
