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
