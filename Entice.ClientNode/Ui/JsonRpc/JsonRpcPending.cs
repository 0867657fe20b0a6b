namespace Entice.ClientNode.Ui.JsonRpc;

/// <summary>
/// The requests waiting for the chat event that answers them, oldest first, at most
/// <see cref="JsonRpc.Limits.MaxPending"/>. Each has a timer named by its tag, cancelled when it is taken.
/// </summary>
internal sealed class JsonRpcPending(int max, Action<string> cancelTimer)
{
    private readonly List<Entry> _entries = [];

    /// <param name="From">The connection that asked (its answer goes there only).</param>
    public sealed record Entry(string Tag, string RawId, string Method, string? Key, long From = 0);

    public bool IsFull => _entries.Count >= max;

    public IReadOnlyList<Entry> All => _entries.ToList();

    public void Add(Entry entry) => _entries.Add(entry);

    /// <summary>The oldest pending request that matches, removed; null when none does.</summary>
    public Entry? Take(Func<Entry, bool> match)
    {
        var i = _entries.FindIndex(p => match(p));
        if (i < 0)
            return null;
        var pending = _entries[i];
        _entries.RemoveAt(i);
        cancelTimer(pending.Tag);
        return pending;
    }
}
