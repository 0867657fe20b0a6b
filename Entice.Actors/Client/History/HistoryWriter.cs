using System.Threading.Channels;

namespace Entice.Client.History;

/// <summary>
/// Writes to a <see cref="HistoryStore"/> on a thread of its own, so neither the UI thread nor an actor
/// ever waits for the disk: callers only enqueue. At most <see cref="HistorySettings.QueueCapacity"/>
/// records wait; when that many are waiting (the disk is stuck or very slow) a new record is dropped,
/// counted in <see cref="Dropped"/> and logged (the first, then every 1,000th): the screen goes on, that
/// line is simply not kept. A <see cref="Forget"/> is never dropped, and runs in order after what was
/// queued before it, so nothing queued for a forgotten conversation reaches the disk after the delete.
/// </summary>
public sealed class HistoryWriter : IAsyncDisposable
{
    private readonly HistoryStore _store;
    private readonly Channel<Work> _queue = Channel.CreateUnbounded<Work>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _loop;
    private readonly Action<string> _warn;
    private int _waiting;
    private long _dropped;

    public HistoryWriter(HistoryStore store, Action<string>? warn = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
        _warn = warn ?? (_ => { });
        _loop = Task.Factory.StartNew(Run, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    public HistorySettings Settings => _store.Settings;

    /// <summary>Records dropped because the queue was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    public void Append(KeptMessage message) => Enqueue(new Work(new HistoryRecord(HistoryRecordKind.Message, HistoryStore.Bounded(message)), null));

    public void MarkDelivery(string conversation, string id, Delivery delivery) => Enqueue(new Work(HistoryStore.StateRecord(conversation, id, delivery), null));

    public void AppendInput(string line) => Enqueue(new Work(HistoryStore.InputRecord(line), null));

    /// <summary>Deletes <paramref name="conversation"/>'s kept history (after what was queued before).</summary>
    public void Forget(string conversation) => _queue.Writer.TryWrite(new Work(null, conversation));

    /// <summary>Waits until everything queued so far is on disk (for specs and the end of the program).</summary>
    public Task FlushAsync()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _queue.Writer.TryWrite(new Work(null, null, done));
        return done.Task;
    }

    private void Enqueue(Work work)
    {
        if (!_store.Settings.Enabled)
            return;
        if (Interlocked.Increment(ref _waiting) > _store.Settings.QueueCapacity || !_queue.Writer.TryWrite(work))
        {
            Interlocked.Decrement(ref _waiting);
            var dropped = Interlocked.Increment(ref _dropped);
            if (dropped % 1000 == 1)
                _warn($"history: the disk is not keeping up; {dropped} record(s) not kept");
        }
    }

    // On the writer's own thread, which it may block: an awaiting loop would resume on the pool threads the
    // actors run on, and do its file work there.
    private void Run()
    {
        var batch = new List<HistoryRecord>();
        while (_queue.Reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
        {
            while (_queue.Reader.TryRead(out var work))
            {
                if (work.Record is { } record)
                {
                    Interlocked.Decrement(ref _waiting);
                    batch.Add(record);
                    if (batch.Count < 256)
                        continue;
                }
                Save(batch);
                if (work.Forget is { } conversation)
                    Do(() => _store.Forget(conversation));
                work.Done?.TrySetResult();
            }
            Save(batch);
        }
    }

    private void Save(List<HistoryRecord> batch)
    {
        if (batch.Count == 0)
            return;
        var records = batch.ToList();
        batch.Clear();
        Do(() => _store.Write(records));
    }

    // A failing disk costs the history, never the client.
    private void Do(Action write)
    {
        try
        {
            write();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ObjectDisposedException)
        {
            _warn($"history: not written ({e.GetType().Name}: {e.Message})");
        }
    }

    /// <summary>Writes what is queued (waiting at most <paramref name="timeout"/>), then stops.</summary>
    public async Task CloseAsync(TimeSpan timeout)
    {
        _queue.Writer.TryComplete();
        await _loop.WaitAsync(timeout).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await CloseAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            _warn("history: the last records were not written in time");
        }
    }

    private sealed record Work(HistoryRecord? Record, string? Forget, TaskCompletionSource? Done = null);
}
