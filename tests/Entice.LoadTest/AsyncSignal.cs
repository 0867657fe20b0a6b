using System.Threading.Tasks.Sources;

namespace Entice.LoadTest;

/// <summary>
/// A reusable, allocation-free auto-reset signal for one waiter: <see cref="Set"/> is sticky until the next
/// <see cref="WaitAsync"/> consumes it, so a wake-up is never lost.
/// </summary>
internal sealed class AsyncSignal : IValueTaskSource
{
    private const int Idle = 0, Waiting = 1, Signaled = 2;
    private ManualResetValueTaskSourceCore<bool> _core = new() { RunContinuationsAsynchronously = true };
    private int _state;

    public void Set()
    {
        while (true)
        {
            var s = Volatile.Read(ref _state);
            if (s == Signaled)
                return;
            if (s == Idle && Interlocked.CompareExchange(ref _state, Signaled, Idle) == Idle)
                return;
            if (s == Waiting && Interlocked.CompareExchange(ref _state, Idle, Waiting) == Waiting)
            {
                _core.SetResult(true);
                return;
            }
        }
    }

    public ValueTask WaitAsync()
    {
        if (Interlocked.CompareExchange(ref _state, Idle, Signaled) == Signaled)
            return default;
        _core.Reset();
        if (Interlocked.CompareExchange(ref _state, Waiting, Idle) == Idle)
            return new ValueTask(this, _core.Version);
        // Signaled between the two steps: consume it.
        Volatile.Write(ref _state, Idle);
        return default;
    }

    public void GetResult(short token) => _core.GetResult(token);

    public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);
}
