namespace Entice.Client.Messages;

/// <summary>
/// Puts each sender's decrypted envelopes back in the order they were sent, using the sequence number
/// inside the plaintext (the relay cannot change it). A sender numbers each conversation apart (a room,
/// or the direct conversation of two), so the count is kept per sender and stream. An envelope ahead of the next expected one is
/// held back, at most <c>holdTicks</c> and at most <c>maxHeldPerSender</c> of them; then the missing
/// ones are reported as a gap and what was held is released. One that arrives after its gap was
/// reported is released with a "late" notice. A sequence that goes back to a number never reported
/// missing means the sender started over (its client restarted): what was held is released and the
/// count starts again. The first envelope seen from a sender sets where its count starts. Memory is
/// bounded per sender and in total (past either, the sender's wait ends at once). Pure state,
/// owned by the chat actor; <typeparamref name="T"/> is whatever the caller shows.
/// </summary>
internal sealed class Inbox<T>(long holdTicks, int maxHeldPerSender = 256, int maxHeldTotal = 4096)
{
    private const int MaxMissingRanges = 64;

    private readonly Dictionary<(string Sender, string Stream), Sender> _senders = [];

    /// <summary>Something to show, in this order: an item, or a notice about the sender's sequence.</summary>
    public abstract record Release;

    public sealed record Item(T Value) : Release;

    /// <summary><paramref name="Missing"/> envelopes from <paramref name="From"/> never came (so far).</summary>
    public sealed record Gap(string From, ulong Missing) : Release;

    /// <summary>An envelope from <paramref name="From"/> reported missing earlier arrived now, after later ones.</summary>
    public sealed record Late(string From) : Release;

    /// <summary>Envelopes held back, all senders.</summary>
    public int Held => _senders.Values.Sum(s => s.Held.Count);

    /// <summary>A decrypted envelope with sequence <paramref name="seq"/>; returns what can be shown now, in order.</summary>
    public List<Release> Accept(string sender, ulong seq, T value, long nowTicks) => Accept(sender, "", seq, value, nowTicks);

    /// <summary>As <see cref="Accept(string, ulong, T, long)"/>, numbered within <paramref name="stream"/> (a conversation).</summary>
    public List<Release> Accept(string sender, string stream, ulong seq, T value, long nowTicks)
    {
        var releases = new List<Release>();
        if (!_senders.TryGetValue((sender, stream), out var s))
            _senders[(sender, stream)] = s = new Sender { Next = seq };
        if (seq == s.Next)
        {
            releases.Add(new Item(value));
            s.Next = seq + 1;
            ReleaseRun(s, releases);
        }
        else if (seq > s.Next)
        {
            s.Held.TryAdd(seq, (value, nowTicks));
            if (s.Held.Count > maxHeldPerSender || (s.Held.Count > 1 && Held > maxHeldTotal))
                GiveUpWaiting(sender, s, releases);
        }
        else if (s.WasReportedMissing(seq))
        {
            releases.Add(new Late(sender));
            releases.Add(new Item(value));
        }
        else
        {
            // Counting from the start again: the sender restarted. What it sent before goes first.
            while (s.Held.Count > 0)
                GiveUpWaiting(sender, s, releases);
            s.Missing.Clear();
            releases.Add(new Item(value));
            s.Next = seq + 1;
        }
        return releases;
    }

    /// <summary>Gives up waiting where something was held for <c>holdTicks</c>: reports the gap and releases what followed it.</summary>
    public List<Release> Expire(long nowTicks)
    {
        var releases = new List<Release>();
        foreach (var (key, s) in _senders)
        {
            while (s.Held.Count > 0 && nowTicks - s.Held.Values.Min(h => h.ArrivedTicks) >= holdTicks)
                GiveUpWaiting(key.Sender, s, releases);
        }
        return releases;
    }

    private static void GiveUpWaiting(string name, Sender s, List<Release> releases)
    {
        var first = s.Held.Keys.First();
        releases.Add(new Gap(name, first - s.Next));
        s.Missing.Add((s.Next, first - 1));
        if (s.Missing.Count > MaxMissingRanges)
            s.Missing.RemoveAt(0);
        s.Next = first;
        ReleaseRun(s, releases);
    }

    private static void ReleaseRun(Sender s, List<Release> releases)
    {
        while (s.Held.Remove(s.Next, out var held))
        {
            releases.Add(new Item(held.Value));
            s.Next++;
        }
    }

    private sealed class Sender
    {
        public ulong Next { get; set; }

        public SortedDictionary<ulong, (T Value, long ArrivedTicks)> Held { get; } = [];

        public List<(ulong From, ulong To)> Missing { get; } = [];

        public bool WasReportedMissing(ulong seq) => Missing.Exists(r => seq >= r.From && seq <= r.To);
    }
}
