namespace Entice.Client;

/// <summary>
/// Keeps this client under the relay's per-connection rate limit instead of being refused by it: a
/// token bucket (<c>perSecond</c> refill, <c>burst</c> capacity) set a little below the server's. What
/// cannot go now waits here, in order, and goes as tokens come back. The relay refuses envelopes over
/// its limit and the sender would send them again later, after newer ones: pacing keeps a burst in the
/// order it was typed. Pure state, owned by the chat actor; the actor's timer calls
/// <see cref="TakeReady"/>.
/// </summary>
internal sealed class Pacer<T>(double perSecond, int burst)
{
    private readonly Queue<T> _waiting = new();
    private double _tokens = burst;
    private long _lastTicks = long.MinValue;

    public int Waiting => _waiting.Count;

    public void Enqueue(T item) => _waiting.Enqueue(item);

    /// <summary>Forgets what waits (the connection dropped; the outbox sends it again after a reconnect).</summary>
    public void Clear() => _waiting.Clear();

    /// <summary>What may be sent now, oldest first.</summary>
    public List<T> TakeReady(long nowTicks)
    {
        Refill(nowTicks);
        var ready = new List<T>();
        while (_waiting.Count > 0 && _tokens >= 1)
        {
            _tokens -= 1;
            ready.Add(_waiting.Dequeue());
        }
        return ready;
    }

    /// <summary>How long until the next waiting item may go (zero when it may go now or nothing waits).</summary>
    public TimeSpan Delay(long nowTicks)
    {
        Refill(nowTicks);
        if (_waiting.Count == 0 || _tokens >= 1 || perSecond <= 0)
            return TimeSpan.Zero;
        return TimeSpan.FromSeconds((1 - _tokens) / perSecond);
    }

    private void Refill(long nowTicks)
    {
        if (_lastTicks != long.MinValue && nowTicks > _lastTicks)
            _tokens = Math.Min(burst, _tokens + ((nowTicks - _lastTicks) * perSecond / TimeSpan.TicksPerSecond));
        _lastTicks = nowTicks;
    }
}
