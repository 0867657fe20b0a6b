using Entice.Wire;
using Entice.Transport;

namespace Entice.Client.Messages;

/// <summary>
/// Keeps this client under the relay's per-connection rate limit instead of being refused by it: a
/// <see cref="TokenBucket"/> (<c>perSecond</c> refill, <c>burst</c> capacity; a rate of 0 paces nothing)
/// set a little below the server's. What cannot go now waits here, in order, and goes as tokens come
/// back. The relay refuses envelopes over its limit and the sender would send them again later, after
/// newer ones: pacing keeps a burst in the order it was typed. Pure state, owned by the chat actor; the
/// actor's timer calls <see cref="TakeReady"/>.
/// </summary>
internal sealed class Pacer<T>(double perSecond, int burst)
{
    private readonly Queue<T> _waiting = new();
    // Made at the first call, so that it starts full at the caller's clock.
    private TokenBucket? _bucket;

    public int Waiting => _waiting.Count;

    public void Enqueue(T item) => _waiting.Enqueue(item);

    /// <summary>Forgets what waits (the connection dropped; the outbox sends it again after a reconnect).</summary>
    public void Clear() => _waiting.Clear();

    /// <summary>What may be sent now, oldest first.</summary>
    public List<T> TakeReady(long nowTicks)
    {
        var bucket = Bucket(nowTicks);
        var ready = new List<T>();
        while (_waiting.Count > 0 && bucket.TryTake(nowTicks))
            ready.Add(_waiting.Dequeue());
        return ready;
    }

    /// <summary>How long until the next waiting item may go (zero when it may go now or nothing waits).</summary>
    public TimeSpan Delay(long nowTicks) => _waiting.Count == 0 ? TimeSpan.Zero : Bucket(nowTicks).TimeUntilToken(nowTicks);

    private TokenBucket Bucket(long nowTicks) => _bucket ??= new TokenBucket(perSecond, burst, nowTicks);
}
