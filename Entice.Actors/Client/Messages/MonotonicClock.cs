namespace Entice.Client.Messages;

/// <summary>Ticks that only go forward (not wall-clock time): ages of envelopes, holds and fragments.</summary>
internal static class MonotonicClock
{
    public static long Now() => Environment.TickCount64 * TimeSpan.TicksPerMillisecond;
}
