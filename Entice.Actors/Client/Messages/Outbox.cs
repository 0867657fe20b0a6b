namespace Entice.Client.Messages;

/// <summary>
/// Envelopes encrypted but not yet acknowledged by the server, in send order. Each is queued (waiting
/// for the <see cref="Pacer{T}"/>), or on the wire since a time. After a reconnect (or when the server
/// has not answered for a while) they are sent again; receivers drop the copies they already have, so
/// a message is neither lost nor shown twice. An envelope the server refused because its recipient is
/// not in the room waits for that recipient to come back, up to a limit. Ciphertext only.
/// </summary>
internal sealed class Outbox
{
    private readonly LinkedList<Entry> _entries = new();
    private readonly Dictionary<ulong, LinkedListNode<Entry>> _byId = [];

    public int Count => _entries.Count;

    public bool IsEmpty => _entries.Count == 0;

    public bool Contains(ulong id) => _byId.ContainsKey(id);

    /// <summary>A new envelope, queued to be sent (<paramref name="frameBytes"/>: its size on the wire).</summary>
    public void Add(Envelope envelope, int frameBytes) =>
        _byId[envelope.Id] = _entries.AddLast(new Entry(envelope, frameBytes) { Queued = true });

    /// <summary>The envelope left for the server now, on connection number <paramref name="connection"/>.</summary>
    public void MarkSent(ulong id, long nowTicks, int connection = 0)
    {
        if (_byId.TryGetValue(id, out var node))
        {
            node.Value.Queued = false;
            node.Value.SentTicks = nowTicks;
            node.Value.SentOn = connection;
        }
    }

    /// <summary>The connection dropped: nothing is queued for it any more (all of it goes again after a reconnect).</summary>
    public void Unqueue()
    {
        foreach (var entry in _entries)
            entry.Queued = false;
    }

    /// <summary>
    /// Connection number <paramref name="connection"/> dropped. The server reads in order, so the oldest
    /// envelope sent on it and not acknowledged is the one it may have choked on; one that was that
    /// envelope <paramref name="maxDrops"/> times is poison (a server that closes on it without a word,
    /// or whose word was lost): given up and returned, never sent again.
    /// </summary>
    public List<Envelope> ConnectionDropped(int connection, int maxDrops)
    {
        var oldest = _entries.FirstOrDefault(e => e.SentOn == connection && e.SentTicks is not null);
        if (oldest is null || ++oldest.Drops < maxDrops)
            return [];
        Acknowledge(oldest.Envelope.Id);
        return [oldest.Envelope];
    }

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

    /// <summary>Everything waiting, oldest first, now queued again.</summary>
    public List<Envelope> TakeAllForResend() => Take(_ => true);

    /// <summary>Envelopes on the wire for at least <paramref name="ageTicks"/>, oldest first, now queued again.</summary>
    public List<Envelope> TakeOlderThan(long ageTicks, long nowTicks) =>
        Take(e => e.SentTicks is { } sent && nowTicks - sent >= ageTicks);

    /// <summary>Envelopes for <paramref name="recipient"/> (who just came back), oldest first, now queued again.</summary>
    public List<Envelope> TakeFor(string recipient) => Take(e => e.Envelope.Recipient == recipient);

    /// <summary>Gives up on envelopes refused for longer than <paramref name="ageTicks"/>; returns them.</summary>
    public List<Envelope> DropRefusedOlderThan(long ageTicks, long nowTicks) =>
        DropWhere(e => e.RefusedSinceTicks is { } since && nowTicks - since >= ageTicks);

    /// <summary>
    /// The server closed the connection over a frame too large. The culprit was sent and is not
    /// acknowledged, and the largest such envelope is at least its size; every envelope that large,
    /// sent or waiting, would be refused too. Gives up on all of them and returns them with that size
    /// (so the caller sends nothing that large again).
    /// </summary>
    public (List<Envelope> Dropped, int FrameBytes) DropLargestSent()
    {
        var sent = _entries.Where(e => e.SentTicks is not null).ToList();
        if (sent.Count == 0)
            return ([], 0);
        var largest = sent.Max(e => e.FrameBytes);
        return (DropWhere(e => e.FrameBytes >= largest), largest);
    }

    /// <summary>The server called something malformed: gives up on every envelope sent and not acknowledged (one was it).</summary>
    public List<Envelope> DropSent() => DropWhere(e => e.SentTicks is not null);

    private List<Envelope> DropWhere(Func<Entry, bool> which)
    {
        var dropped = new List<Envelope>();
        foreach (var entry in _entries.Where(which).ToList())
        {
            dropped.Add(entry.Envelope);
            Acknowledge(entry.Envelope.Id);
        }
        return dropped;
    }

    private List<Envelope> Take(Func<Entry, bool> which)
    {
        var due = new List<Envelope>();
        foreach (var entry in _entries)
        {
            if (entry.Queued || !which(entry))
                continue;
            entry.Queued = true;
            due.Add(entry.Envelope);
        }
        return due;
    }

    private sealed class Entry(Envelope envelope, int frameBytes)
    {
        public Envelope Envelope { get; } = envelope;

        public int FrameBytes { get; } = frameBytes;

        public bool Queued { get; set; }

        public long? SentTicks { get; set; }

        public long? RefusedSinceTicks { get; set; }

        public int SentOn { get; set; } = -1;

        public int Drops { get; set; }
    }
}
