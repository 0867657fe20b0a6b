namespace Entice.Transport;

/// <summary>
/// The memory all connections together may hold in incomplete frames. Each transport reserves what its
/// frame decoder has allocated and returns it when the frame completes or the connection closes; a
/// reservation that would go past the budget is refused, and that connection is closed ("overloaded")
/// rather than the server running out of memory. Thread-safe: transports run on any thread.
/// </summary>
public sealed class FrameBudget(long limit)
{
    private long _reserved;

    public long Limit { get; } = limit;

    /// <summary>Bytes reserved right now, by every connection together.</summary>
    public long Reserved => Interlocked.Read(ref _reserved);

    public bool TryReserve(long bytes)
    {
        if (Interlocked.Add(ref _reserved, bytes) <= Limit)
            return true;
        Interlocked.Add(ref _reserved, -bytes);
        return false;
    }

    public void Release(long bytes) => Interlocked.Add(ref _reserved, -bytes);
}
