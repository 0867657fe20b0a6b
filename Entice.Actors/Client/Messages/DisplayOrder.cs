namespace Entice.Client.Messages;

/// <summary>
/// Keeps what the user sees in the order the server sent it. A message needs a round trip through the
/// crypto actor, a "left" notice does not; without this, "dave left" could show before dave's last
/// words. Events wait behind any earlier slot that is still being decrypted.
/// </summary>
internal sealed class DisplayOrder
{
    private readonly LinkedList<Slot> _slots = new();
    private readonly Dictionary<ulong, LinkedListNode<Slot>> _pending = [];
    private ulong _nextTicket;

    /// <summary>True while some reserved place has not been filled.</summary>
    public bool HasPending => _pending.Count > 0;

    /// <summary>Reserves a place for an event that an answer will bring; returns its ticket.</summary>
    public ulong Reserve()
    {
        var ticket = ++_nextTicket;
        _pending[ticket] = _slots.AddLast(new Slot { Ticket = ticket });
        return ticket;
    }

    /// <summary>An event that is ready now; it still waits behind earlier reserved places.</summary>
    public void Add(ChatEvent e) => _slots.AddLast(new Slot { Events = [e], Done = true });

    /// <summary>Fills a reserved place (null: nothing to show). False if the ticket is not waiting.</summary>
    public bool Fill(ulong ticket, ChatEvent? e) => Fill(ticket, e is null ? [] : [e]);

    /// <summary>Fills a reserved place with several events, in order. False if the ticket is not waiting.</summary>
    public bool Fill(ulong ticket, IReadOnlyList<ChatEvent> events)
    {
        if (!_pending.Remove(ticket, out var node))
            return false;
        node.Value.Events = events;
        node.Value.Done = true;
        return true;
    }

    /// <summary>Takes the events that are ready, in order, up to the first place still waiting.</summary>
    public List<ChatEvent> TakeReady()
    {
        var ready = new List<ChatEvent>();
        while (_slots.First is { Value.Done: true } first)
        {
            ready.AddRange(first.Value.Events);
            _slots.RemoveFirst();
        }
        return ready;
    }

    private sealed class Slot
    {
        public ulong Ticket { get; init; }

        public IReadOnlyList<ChatEvent> Events { get; set; } = [];

        public bool Done { get; set; }
    }
}
