using System.Collections;

namespace Entice.Client.Messages;

/// <summary>
/// Which envelope carried which typed message to whom, so that a receipt (naming envelope ids) can be
/// reported as "message m delivered to bob". One entry per envelope, whatever the room's size: a room-wide
/// envelope keeps the message's recipients (one list shared by consecutive messages to the same members)
/// and one bit per recipient still to acknowledge it, not an entry per (envelope, recipient). Bounded by
/// the number of envelopes remembered: the oldest expectations are forgotten first. Only our own sends add
/// entries; a peer's receipt can only clear its own bit, once.
/// </summary>
internal sealed class DeliveryTracker(int capacity = DeliveryTracker.DefaultCapacity)
{
    /// <summary>Envelopes remembered (in a room of 100: 10,000 room messages, 990,000 receipts).</summary>
    public const int DefaultCapacity = 10_000;

    private sealed class Recipients(string[] names)
    {
        private readonly Dictionary<string, int> _index = names.Select((n, i) => (n, i)).DistinctBy(x => x.n, StringComparer.Ordinal)
            .ToDictionary(x => x.n, x => x.i, StringComparer.Ordinal);

        public string[] Names { get; } = names;

        public int IndexOf(string name) => _index.TryGetValue(name, out var i) ? i : -1;
    }

    private sealed class Expected(string messageId, string? tag, Recipients recipients)
    {
        public string MessageId { get; } = messageId;

        public string? Tag { get; } = tag;

        public Recipients Recipients { get; } = recipients;

        public BitArray Pending { get; } = new(recipients.Names.Length, true);

        public int Remaining { get; set; } = recipients.Names.Length;
    }

    private readonly Dictionary<ulong, Expected> _expected = [];
    private readonly Queue<ulong> _order = new();
    private Recipients? _last;

    /// <summary>How many envelopes are waiting for at least one receipt.</summary>
    public int Count => _expected.Count;

    /// <summary>A receipt for <paramref name="envelopeId"/> is expected from each of <paramref name="recipients"/>.</summary>
    public void Expect(ulong envelopeId, IReadOnlyList<string> recipients, string messageId, string? tag)
    {
        if (recipients.Count == 0)
            return;
        // Consecutive messages to the same members share one list (and its index).
        if (_last is null || !_last.Names.AsSpan().SequenceEqual(recipients as string[] ?? [.. recipients]))
            _last = new Recipients([.. recipients]);
        _expected[envelopeId] = new Expected(messageId, tag, _last);
        _order.Enqueue(envelopeId);
        while (_order.Count > capacity)
            _expected.Remove(_order.Dequeue());
    }

    /// <summary>
    /// The deliveries a receipt from <paramref name="from"/> proves. Only ids sent to that very peer
    /// count: a receipt cannot claim delivery to someone else, and each counts once.
    /// </summary>
    public List<DeliveredEvent> Delivered(string from, IEnumerable<ulong> envelopeIds)
    {
        var delivered = new List<DeliveredEvent>();
        foreach (var id in envelopeIds)
        {
            if (!_expected.TryGetValue(id, out var e))
                continue;
            var i = e.Recipients.IndexOf(from);
            if (i < 0 || !e.Pending[i])
                continue;
            e.Pending[i] = false;
            if (--e.Remaining == 0)
                _expected.Remove(id);
            delivered.Add(new DeliveredEvent(e.MessageId, from, e.Tag));
        }
        return delivered;
    }
}
