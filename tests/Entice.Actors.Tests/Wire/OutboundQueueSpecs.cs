using Entice.Wire;
using Entice.Transport;

namespace Entice.Tests.Wire;

public sealed class OutboundQueueSpecs
{
    [Fact]
    public void A_peer_that_falls_behind_the_limit_is_refused_instead_of_growing_memory()
    {
        var q = new OutboundQueue(maxBytes: 1000);
        for (var i = 0; i < 10; i++)
            Assert.True(q.TryEnqueue(new byte[100]));

        Assert.False(q.TryEnqueue(new byte[1]));
        Assert.Equal(1000, q.QueuedBytes);
    }

    [Fact]
    public void Batches_keep_frame_order_and_whole_frames_and_free_their_bytes()
    {
        var q = new OutboundQueue(maxBytes: 10_000, maxBatchBytes: 250);
        for (byte i = 0; i < 5; i++)
            q.TryEnqueue(Enumerable.Repeat(i, 100).ToArray());

        var first = q.TakeBatch();
        var second = q.TakeBatch();
        var third = q.TakeBatch();

        Assert.Equal(200, first.Length);
        Assert.Equal([0, 1], new[] { first[0], first[199] });
        Assert.Equal([2, 3], new[] { second[0], second[199] });
        Assert.Equal(4, Assert.Single(third.Distinct()));
        Assert.True(q.IsEmpty);
        Assert.Equal(0, q.QueuedBytes);
    }

    [Fact]
    public void A_batch_sized_once_is_taken_into_a_span_in_order_and_a_wrong_size_is_refused()
    {
        var q = new OutboundQueue(maxBytes: 10_000, maxBatchBytes: 250);
        for (byte i = 0; i < 5; i++)
            q.TryEnqueue(Enumerable.Repeat(i, 100).ToArray());

        var size = q.NextBatchBytes(out var frames);
        Assert.Equal((200, 2), (size, frames));
        Assert.Throws<ArgumentException>(() => q.TakeBatchInto(frames, new byte[150]));
        Assert.Throws<ArgumentException>(() => q.TakeBatchInto(6, new byte[500]));
        Assert.Equal(5, q.QueuedFrames); // a refused size took nothing
        var batch = new byte[size];
        q.TakeBatchInto(frames, batch);
        Assert.Equal([0, 1], new[] { batch[0], batch[199] });
        Assert.Equal(300, q.QueuedBytes);
        Assert.Equal((200, 2), (q.NextBatchBytes(out frames), frames));
    }

    [Fact]
    public void A_frame_larger_than_a_batch_goes_out_alone()
    {
        var q = new OutboundQueue(maxBytes: 10_000, maxBatchBytes: 100);
        q.TryEnqueue(new byte[500]);
        q.TryEnqueue(new byte[10]);

        Assert.Equal(500, q.TakeBatch().Length);
        Assert.Equal(10, q.TakeBatch().Length);
    }
}
