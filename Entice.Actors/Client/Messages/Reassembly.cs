using System.Text;

namespace Entice.Client.Messages;

/// <summary>
/// Puts long messages back together on the receiving side, within bounds a hostile sender cannot
/// stretch: one message in progress per sender (its fragments arrive in its order, see
/// <see cref="Inbox"/>), at most <c>maxMessageBytes</c> of text each, at most <c>maxPartial</c> senders
/// in progress at once (the one idle longest is dropped for a new one), and a partial message not
/// continued within the timeout is dropped. The header of each fragment is checked against the message
/// it claims to continue (id, index, count, room, direct); a fragment that does not fit drops the
/// message with an error instead of gluing text together. Pure state, owned by the chat actor.
/// </summary>
internal sealed class Reassembly(int maxMessageBytes, int maxPartial = 8)
{
    private readonly Dictionary<string, Partial> _bySender = new(StringComparer.Ordinal);

    public abstract record Outcome;

    /// <summary>More fragments are expected. <paramref name="Abandoned"/>: an earlier message this one replaced.</summary>
    public sealed record Waiting(string? Abandoned = null) : Outcome;

    /// <summary>The last fragment arrived: the whole text. <paramref name="Abandoned"/>: an earlier message this one replaced.</summary>
    public sealed record Complete(string Text, string? Abandoned = null) : Outcome
    {
        public override string ToString() => $"Complete({Text.Length} chars)";
    }

    /// <summary>A message was given up (the fragment was not what it claimed, or it is too long).</summary>
    public sealed record Dropped(string Reason) : Outcome;

    /// <summary>Senders with a message in progress.</summary>
    public int InProgress => _bySender.Count;

    public Outcome Add(string sender, string room, bool direct, Fragments.Part part, long nowTicks)
    {
        ArgumentNullException.ThrowIfNull(part);
        string? abandoned = null;
        if (part.Index == 0)
        {
            if (_bySender.Remove(sender, out var old))
                abandoned = $"an incomplete long message from {sender} was dropped: another one started ({old.Received} of {old.Count} parts had arrived)";
            if (part.Count == 1)
                return new Complete(part.Chunk, abandoned);
            while (_bySender.Count >= maxPartial)
            {
                var idle = _bySender.MinBy(p => p.Value.LastTicks);
                _bySender.Remove(idle.Key);
            }
            var started = new Partial(part.MessageId, part.Count, room, direct, nowTicks);
            if (!started.Append(part.Chunk, maxMessageBytes))
                return TooLong(sender);
            _bySender[sender] = started;
            return new Waiting(abandoned);
        }

        if (!_bySender.TryGetValue(sender, out var partial))
            return new Dropped($"part {part.Index + 1} of a long message from {sender} arrived without its beginning; dropped");
        if (partial.MessageId != part.MessageId || partial.Count != part.Count || partial.Received != part.Index
            || partial.Room != room || partial.Direct != direct)
        {
            _bySender.Remove(sender);
            return new Dropped($"a long message from {sender} was dropped: part {part.Index + 1} does not continue it");
        }
        if (!partial.Append(part.Chunk, maxMessageBytes))
        {
            _bySender.Remove(sender);
            return TooLong(sender);
        }
        partial.LastTicks = nowTicks;
        if (partial.Received < partial.Count)
            return new Waiting();
        _bySender.Remove(sender);
        return new Complete(partial.Text.ToString());
    }

    /// <summary>Drops messages no fragment continued for <paramref name="timeoutTicks"/>; returns their senders.</summary>
    public List<string> DropIdle(long timeoutTicks, long nowTicks)
    {
        var idle = _bySender.Where(p => nowTicks - p.Value.LastTicks >= timeoutTicks).Select(p => p.Key).ToList();
        foreach (var sender in idle)
            _bySender.Remove(sender);
        return idle;
    }

    private Dropped TooLong(string sender) =>
        new($"a message from {sender} longer than {maxMessageBytes} bytes (max-message-size) was dropped");

    private sealed class Partial(ulong messageId, int count, string room, bool direct, long nowTicks)
    {
        public ulong MessageId { get; } = messageId;

        public int Count { get; } = count;

        public string Room { get; } = room;

        public bool Direct { get; } = direct;

        public StringBuilder Text { get; } = new();

        public int Bytes { get; private set; }

        public int Received { get; private set; }

        public long LastTicks { get; set; } = nowTicks;

        public bool Append(string chunk, int maxBytes)
        {
            Bytes += Encoding.UTF8.GetByteCount(chunk);
            if (Bytes > maxBytes)
                return false;
            Text.Append(chunk);
            Received++;
            return true;
        }
    }
}
