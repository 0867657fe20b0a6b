namespace Entice.Client.Messages;

/// <summary>
/// Recently received envelope ids per sender. A copy of an envelope already received (a sender that
/// resent after a reconnect because the server's ack was lost) is dropped quietly instead of being
/// reported as a replay. Bounded: the oldest ids are forgotten first.
/// </summary>
internal sealed class SeenEnvelopes(int capacityPerSender = 4096)
{
    private readonly Dictionary<string, (HashSet<ulong> Set, Queue<ulong> Order)> _bySender = new(StringComparer.Ordinal);

    public bool Contains(string sender, ulong id) => _bySender.TryGetValue(sender, out var seen) && seen.Set.Contains(id);

    /// <summary>
    /// Remembers (sender, id); call it only once the envelope decrypted, so that a forgery carrying a
    /// real id cannot make the genuine envelope look like a copy. False if it was already there.
    /// </summary>
    public bool Add(string sender, ulong id)
    {
        if (!_bySender.TryGetValue(sender, out var seen))
            _bySender[sender] = seen = ([], new Queue<ulong>());
        if (!seen.Set.Add(id))
            return false;
        seen.Order.Enqueue(id);
        if (seen.Order.Count > capacityPerSender)
            seen.Set.Remove(seen.Order.Dequeue());
        return true;
    }
}
