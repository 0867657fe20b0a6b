namespace Entice.Client.Messages;

/// <summary>
/// Which envelope carried which typed message to whom, so that a receipt (naming envelope ids) can be
/// reported as "message m delivered to bob". Bounded: the oldest expectations are forgotten first.
/// </summary>
internal sealed class DeliveryTracker(int capacity = 10_000)
{
    // By envelope and recipient: a room-wide envelope is expected back from every member.
    private readonly Dictionary<(ulong Id, string Recipient), (string MessageId, string? Tag)> _expected = [];
    private readonly Queue<(ulong, string)> _order = new();

    public void Expect(ulong envelopeId, string recipient, string messageId, string? tag)
    {
        _expected[(envelopeId, recipient)] = (messageId, tag);
        _order.Enqueue((envelopeId, recipient));
        while (_order.Count > capacity)
            _expected.Remove(_order.Dequeue());
    }

    /// <summary>
    /// The deliveries a receipt from <paramref name="from"/> proves. Only ids sent to that very peer
    /// count: a receipt cannot claim delivery to someone else.
    /// </summary>
    public List<DeliveredEvent> Delivered(string from, IEnumerable<ulong> envelopeIds)
    {
        var delivered = new List<DeliveredEvent>();
        foreach (var id in envelopeIds)
        {
            if (_expected.Remove((id, from), out var e))
            {
                delivered.Add(new DeliveredEvent(e.MessageId, from, e.Tag));
            }
        }
        return delivered;
    }
}
