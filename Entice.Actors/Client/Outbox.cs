namespace Entice.Client;

/// <summary>
/// Envelopes sent but not yet acknowledged by the server, in send order. After a reconnect (or when the
/// server has not answered for a while) they are sent again; receivers drop the copies they already
/// have, so a message is neither lost nor shown twice. An envelope the server refused because its
/// recipient is not in the room waits for that recipient to come back, up to a limit. Ciphertext only.
/// </summary>
internal sealed class Outbox
{
    private readonly LinkedList<Entry> _entries = new();
    private readonly Dictionary<ulong, LinkedListNode<Entry>> _byId = [];

    public int Count => _entries.Count;

    public bool IsEmpty => _entries.Count == 0;

    public void Add(Envelope envelope, long nowTicks) =>
        _byId[envelope.Id] = _entries.AddLast(new Entry(envelope, nowTicks));

    /// <summary>The server took the envelope: forget it. False if it was not waiting (a late or duplicate ack).</summary>
    public bool Acknowledge(ulong id)
    {
        if (!_byId.Remove(id, out var node))
            return false;
        _entries.Remove(node);
        return true;
    }

    /// <summary>The server refused it (recipient absent): keep it for when the recipient returns.</summary>
    public bool MarkRefused(ulong id, long nowTicks)
    {
        if (!_byId.TryGetValue(id, out var node))
            return false;
        node.Value.RefusedSinceTicks ??= nowTicks;
        return true;
    }

    /// <summary>Everything waiting, oldest first, marked as sent again now.</summary>
    public List<Envelope> TakeAllForResend(long nowTicks) => Take(_ => true, nowTicks);

    /// <summary>Envelopes sent at least <paramref name="ageTicks"/> ago, oldest first, marked as sent again now.</summary>
    public List<Envelope> TakeOlderThan(long ageTicks, long nowTicks) => Take(e => nowTicks - e.SentTicks >= ageTicks, nowTicks);

    /// <summary>Envelopes for <paramref name="recipient"/> (who just came back), oldest first, marked as sent again now.</summary>
    public List<Envelope> TakeFor(string recipient, long nowTicks) =>
        Take(e => e.Envelope.Recipient == recipient, nowTicks);

    /// <summary>Gives up on envelopes refused for longer than <paramref name="ageTicks"/>; returns them.</summary>
    public List<Envelope> DropRefusedOlderThan(long ageTicks, long nowTicks)
    {
        var dropped = new List<Envelope>();
        foreach (var entry in _entries.Where(e => e.RefusedSinceTicks is { } since && nowTicks - since >= ageTicks).ToList())
        {
            dropped.Add(entry.Envelope);
            Acknowledge(entry.Envelope.Id);
        }
        return dropped;
    }

    private List<Envelope> Take(Func<Entry, bool> which, long nowTicks)
    {
        var due = new List<Envelope>();
        foreach (var entry in _entries)
        {
            if (!which(entry))
                continue;
            entry.SentTicks = nowTicks;
            due.Add(entry.Envelope);
        }
        return due;
    }

    private sealed class Entry(Envelope envelope, long sentTicks)
    {
        public Envelope Envelope { get; } = envelope;

        public long SentTicks { get; set; } = sentTicks;

        public long? RefusedSinceTicks { get; set; }
    }
}
