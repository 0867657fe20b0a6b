namespace Entice.Client.Keys;

/// <summary>
/// One writer of the key files at a time, newest state wins. The key writer and the crypto actor's last save
/// when it stops (which may run while the writer is still finishing an older write, during a restart) both go
/// through here: a write older than the one on disk is skipped, so an old state never overwrites a newer one.
/// </summary>
internal sealed class SessionFileGate
{
    private readonly object _lock = new();
    private long _written = -1;

    /// <summary>Runs <paramref name="write"/> unless a newer generation is already written; false when skipped.</summary>
    public bool Write(long generation, Action write)
    {
        lock (_lock)
        {
            if (generation <= _written)
                return false;
            write();
            _written = generation;
            return true;
        }
    }

    /// <summary>Runs <paramref name="sync"/> (flushing the files) with no write running meanwhile.</summary>
    public void Sync(Action sync)
    {
        lock (_lock)
            sync();
    }
}
