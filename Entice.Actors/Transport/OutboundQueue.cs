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
        var count = NextBatch(out var size);
        if (count <= 1)
            return count == 0 ? [] : Dequeue();
        var batch = new byte[size];
        CopyOut(count, batch);
        return batch;
    }

    /// <summary>The bytes of the batch <see cref="TakeBatch"/> would take now (0 when empty).</summary>
    public int NextBatchBytes() => NextBatchBytes(out _);

    /// <summary>
    /// The bytes of the next batch and how many frames it holds (<paramref name="frames"/>): hand both to
    /// <see cref="TakeBatchInto(int, Span{byte})"/> so the queue is walked once to size the batch and once
    /// to copy it, not twice to size it.
    /// </summary>
    public int NextBatchBytes(out int frames)
    {
        frames = NextBatch(out var size);
        return size;
    }

    /// <summary>
    /// Takes the next <paramref name="frames"/> frames (as sized by <see cref="NextBatchBytes(out int)"/>, with
    /// nothing queued or taken since) into <paramref name="destination"/>, which they must fill exactly (a
    /// mismatch is the caller's bug: ArgumentException, and nothing is taken).
    /// </summary>
    public void TakeBatchInto(int frames, Span<byte> destination)
    {
        if (frames < 0 || frames > _frames.Count || (frames == 0 && !destination.IsEmpty))
            throw new ArgumentException($"{frames} frames of {_frames.Count} cannot fill {destination.Length} bytes.", nameof(frames));
        // Copied while enumerated, taken only once they filled it exactly: a wrong size takes nothing.
        var offset = 0;
        var copied = 0;
        foreach (var f in _frames)
        {
            if (copied == frames)
                break;
            if (f.Length > destination.Length - offset)
                break;
            f.CopyTo(destination[offset..]);
            offset += f.Length;
            copied++;
        }
        if (copied != frames || offset != destination.Length)
            throw new ArgumentException($"The next {frames} frames are not {destination.Length} bytes.", nameof(destination));
        for (var i = 0; i < frames; i++)
            Dequeue();
    }

    /// <summary>
    /// Takes the same batch as <see cref="TakeBatch"/>, copied into <paramref name="destination"/> (exactly
    /// <see cref="NextBatchBytes"/> long) instead of a new array: for a layer that seals the batch where it lies.
    /// </summary>
    public void TakeBatchInto(Span<byte> destination)
    {
        var count = NextBatch(out var size);
        if (destination.Length != size)
            throw new ArgumentException($"The next batch is {size} bytes, not {destination.Length}.", nameof(destination));
        CopyOut(count, destination);
    }

    // How many frames the next batch holds, and its bytes.
    private int NextBatch(out int size)
    {
        size = 0;
        if (_frames.Count == 0)
            return 0;
        if (_frames.Count == 1 || _frames.Peek().Length >= MaxBatchBytes)
        {
            size = _frames.Peek().Length;
            return 1;
        }

        var count = 0;
        foreach (var f in _frames)
        {
            if (count > 0 && size + f.Length > MaxBatchBytes)
                break;
            size += f.Length;
            count++;
        }
        return count;
    }

    private void CopyOut(int count, Span<byte> destination)
    {
        var offset = 0;
        for (var i = 0; i < count; i++)
        {
            var f = Dequeue();
            f.CopyTo(destination[offset..]);
            offset += f.Length;
        }
    }

    private byte[] Dequeue()
    {
        var f = _frames.Dequeue();
        QueuedBytes -= f.Length;
        return f;
    }
}
