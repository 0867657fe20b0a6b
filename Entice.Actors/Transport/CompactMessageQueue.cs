using Akka.Actor;
using Akka.Dispatch;
using Akka.Dispatch.MessageQueues;

namespace Entice.Transport;

/// <summary>
/// An unbounded actor mailbox queue that costs almost nothing while empty: a <see cref="Queue{T}"/> under
/// a lock, its array grown only by what is queued. Akka's default (a <c>ConcurrentQueue</c>) starts with a
/// segment of 32 slots, 1,064 bytes per actor even when nothing was ever queued; a server has three actors
/// per connection (Akka.IO's, the transport, a member per room), about 3.3 KiB of each idle connection's
/// memory (issue 17; tests/perf/README.md, "Channel cost and idle memory"). Thread-safe for any number
/// of producers and consumers; the count is read without the lock (the dispatcher's "anything to run?").
/// </summary>
public class CompactMessageQueue : IMessageQueue, IUnboundedMessageQueueSemantics, IMultipleConsumerSemantics
{
    private readonly Queue<Akka.Actor.Envelope> _queue = new();
    private volatile int _count;

    public bool HasMessages => _count > 0;

    public int Count => _count;

    public void Enqueue(IActorRef receiver, Akka.Actor.Envelope envelope)
    {
        lock (_queue)
        {
            _queue.Enqueue(envelope);
            _count = _queue.Count;
        }
    }

    public bool TryDequeue(out Akka.Actor.Envelope envelope)
    {
        if (_count == 0)
        {
            envelope = default;
            return false;
        }

        lock (_queue)
        {
            var taken = _queue.TryDequeue(out envelope);
            _count = _queue.Count;
            return taken;
        }
    }

    public void CleanUp(IActorRef owner, IMessageQueue deadletters)
    {
        ArgumentNullException.ThrowIfNull(deadletters);
        while (TryDequeue(out var envelope))
            deadletters.Enqueue(owner, envelope);
    }
}

/// <summary>
/// <see cref="CompactMessageQueue"/> with the front insertion a stashing actor needs (Akka's own deque
/// wrapper: an empty stack costs no array).
/// </summary>
public sealed class CompactDequeMessageQueue : DequeWrapperMessageQueue, IUnboundedDequeBasedMessageQueueSemantics
{
    public CompactDequeMessageQueue()
        : base(new CompactMessageQueue())
    {
    }
}
