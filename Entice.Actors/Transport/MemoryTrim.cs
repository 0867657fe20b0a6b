using Akka.Event;

namespace Entice.Transport;

/// <summary>
/// A wave of connections leaves its handshakes' garbage promoted to the old generation, where it would sit
/// uncollected (and resident) while the connections stay idle: at 10,000 idle connections about a third of
/// the server's memory (issue 17). Once the wave is over, one full compacting collection that decommits
/// what it frees gives it back. Run off the listener's thread: the collection pauses every thread anyway,
/// but the listener need not wait for it to finish.
/// </summary>
internal static class MemoryTrim
{
    public static void Run(ILoggingAdapter log, int changed, int live) => _ = Task.Run(() =>
    {
        var before = Environment.WorkingSet;
        var watch = System.Diagnostics.Stopwatch.StartNew();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        log.Info("Memory trimmed after {Changed} connections opened or closed ({Live} open): working set {Before} -> {After} MB in {Ms} ms",
            changed, live, before >> 20, Environment.WorkingSet >> 20, watch.ElapsedMilliseconds);
    });
}

/// <summary>
/// A listener's count of connections opened or closed since the last trim: <see cref="Changed"/> says when the
/// trim timer is to be (re)started (the wave is over once it stays quiet), <see cref="Run"/> trims and starts over.
/// </summary>
internal sealed class MemoryTrimCounter(ClientLinkOptions settings)
{
    private int _changed;

    public bool Changed() => settings.MemoryTrimAfterConnections > 0 && ++_changed >= settings.MemoryTrimAfterConnections;

    public void Run(ILoggingAdapter log, int live)
    {
        var changed = _changed;
        _changed = 0;
        MemoryTrim.Run(log, changed, live);
    }
}
