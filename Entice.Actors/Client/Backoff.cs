namespace Entice.Client;

/// <summary>
/// Reconnect delays: exponential from <paramref name="initial"/> up to <paramref name="max"/>, each with
/// ±20% jitter so that clients dropped together by a server restart do not all return in one instant.
/// </summary>
internal sealed class Backoff(TimeSpan initial, TimeSpan max, Random? random = null)
{
    private readonly Random _random = random ?? Random.Shared;
    private int _attempt;

    public int Attempt => _attempt;

    public TimeSpan Next()
    {
        var exponent = Math.Min(_attempt++, 20);
        var baseTicks = Math.Min(max.Ticks, initial.Ticks * (1L << exponent));
        var jitter = 0.8 + (_random.NextDouble() * 0.4);
        return TimeSpan.FromTicks((long)(baseTicks * jitter));
    }

    public void Reset() => _attempt = 0;
}
