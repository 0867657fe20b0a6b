namespace Entice.Transport;

/// <summary>
/// Frames waiting for the socket. Akka.IO's own write queue is unbounded, so this is where a peer that
/// stops reading is noticed: <see cref="TryEnqueue"/> refuses once <see cref="MaxBytes"/> would be
/// exceeded and the owner aborts that connection. Writes go out one batch at a time, the next batch
/// only after the previous one was acknowledged, so at most one batch sits in Akka.IO at once.
/// </summary>
public sealed class OutboundQueue
{
    private readonly Queue<byte[]> _frames = new();

    /// <summary>The batch for a plaintext connection: 64 KiB.</summary>
    public const int DefaultMaxBatchBytes = 64 * 1024;

    public OutboundQueue(long maxBytes, int maxBatchBytes = DefaultMaxBatchBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBytes);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBatchBytes);
        MaxBytes = maxBytes;
        MaxBatchBytes = maxBatchBytes;
    }

    public long MaxBytes { get; }

    public int MaxBatchBytes { get; }

    /// <summary>Bytes queued and not yet handed to the socket.</summary>
    public long QueuedBytes { get; private set; }

    public int QueuedFrames => _frames.Count;

    public bool IsEmpty => _frames.Count == 0;

    /// <summary>Queues a complete frame; false (and nothing queued) when the peer is too far behind.</summary>
    public bool TryEnqueue(byte[] frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        if (QueuedBytes + frame.Length > MaxBytes)
            return false;
        _frames.Enqueue(frame);
        QueuedBytes += frame.Length;
        return true;
    }

    /// <summary>
    /// Takes the next batch: whole frames, concatenated, up to <see cref="MaxBatchBytes"/> (a single larger
    /// frame goes alone). Batching turns a burst of small frames into one write call.
    /// </summary>
    public byte[] TakeBatch()
    {
        if (_frames.Count == 0)
            return [];
        if (_frames.Count == 1 || _frames.Peek().Length >= MaxBatchBytes)
            return Dequeue();

        var size = 0;
        var count = 0;
        foreach (var f in _frames)
        {
            if (count > 0 && size + f.Length > MaxBatchBytes)
                break;
            size += f.Length;
            count++;
        }

        var batch = new byte[size];
        var offset = 0;
        for (var i = 0; i < count; i++)
        {
            var f = Dequeue();
            f.CopyTo(batch, offset);
            offset += f.Length;
        }
        return batch;
    }

    private byte[] Dequeue()
    {
        var f = _frames.Dequeue();
        QueuedBytes -= f.Length;
        return f;
    }
}
