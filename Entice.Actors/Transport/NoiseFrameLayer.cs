using Entice.Channels;

namespace Entice.Transport;

/// <summary>
/// The encrypted channel as a frame layer (docs/ARCHITECTURE.md, "The channel"): the first bytes are the
/// handshake (<see cref="ChannelHandshake"/>, bounded in bytes by itself and in time by the actor), then
/// every byte is a <see cref="SecureChannel"/> record. The unit sealed is a whole write batch, so many
/// frames share one record; the other side's frame decoder splits them again. Any failure (a plaintext
/// client, a flipped byte, a replay) makes <see cref="TryOpen"/> false: that connection closes.
/// </summary>
public sealed class NoiseFrameLayer : IFrameLayer, IDisposable
{
    private ChannelHandshake? _handshake;
    private SecureChannel? _channel;
    private byte[]? _outbound;
    [ThreadStatic] private static byte[]? t_opened;
    [ThreadStatic] private static int t_openedUsed;
    private long _rawPending;

    public NoiseFrameLayer(ChannelHandshake handshake) => _handshake = handshake;

    /// <summary>The largest sealed unit: a write batch (64 KiB) or one frame with its prefix, whichever is larger.</summary>
    public static int UnitLimit(int maxFrameSize) => Math.Max(64 * 1024, maxFrameSize + 4);

    public bool IsReady => _channel is not null;

    /// <summary>
    /// The write batch for this layer: what one record carries (65,516 bytes), so a full batch is one record
    /// (one AEAD call, one length prefix), not a record of 65,516 bytes and one of 20 padded to 64.
    /// </summary>
    public const int MaxBatchBytes = SecureChannel.MaxRecordContent;

    /// <summary>Once ready: the fingerprint of the peer's static key (on the client, the server's).</summary>
    public ServerFingerprint? PeerFingerprint => _channel?.RemoteFingerprint;

    /// <summary>On the client: the key the server presented, once known (also when it was refused).</summary>
    public ServerFingerprint? PresentedKey { get; private set; }

    /// <summary>Why the handshake failed, when it did (classified: a changed key, a plaintext peer, …).</summary>
    public ChannelError? Failure { get; private set; }

    public int BufferedBytes => _channel?.BufferedBytes ?? (_handshake is null ? 0 : 128);

    /// <summary>The initiator's first bytes (client side only).</summary>
    public byte[] Start()
    {
        var first = _handshake?.Start() ?? [];
        _rawPending += first.Length;
        return first;
    }

    public bool TryOpen(ReadOnlySpan<byte> received, out ReadOnlySpan<byte> frames, out string problem)
    {
        frames = [];
        problem = "";
        if (_channel is null)
        {
            if (_handshake is null)
            {
                problem = "the channel is closed";
                return false;
            }
            var step = _handshake.Receive(received);
            PresentedKey = step.PresentedServerKey ?? PresentedKey;
            if (step.Outbound.Length > 0)
                _outbound = _outbound is null ? step.Outbound : [.. _outbound, .. step.Outbound];
            if (step.IsFailed)
            {
                Failure = step.Error;
                problem = Describe(step.Error);
                Dispose();
                return false;
            }
            if (!step.IsComplete)
                return true;
            _channel = step.Channel;
            _handshake.Dispose();
            _handshake = null;
            received = step.Remainder;
            if (received.IsEmpty)
                return true;
        }

        var opened = TakeOpenedBuffer();
        var ok = _channel.TryOpen(received, ref opened, out var start, out var length, out var error);
        t_opened = opened;
        t_openedUsed = start + length;
        if (!ok)
        {
            Failure = error;
            problem = Describe(error!);
            return false;
        }
        frames = opened.AsSpan(start, length);
        return true;
    }

    /// <summary>
    /// Handshake bytes handed out (<see cref="Start"/>, <see cref="TakeOutbound"/>) travel as they are, in
    /// queue order, even when the batch that carries them is written after the channel is up (the
    /// client's last handshake message); everything after them is sealed.
    /// </summary>
    public byte[] Seal(byte[] batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var raw = (int)Math.Min(_rawPending, batch.Length);
        _rawPending -= raw;
        if (_channel is null || raw == batch.Length)
            return batch;
        // One array per batch, the one Akka.IO writes: the handshake bytes, then the records sealed in place.
        var plain = batch.AsSpan(raw);
        var output = GC.AllocateUninitializedArray<byte>(raw + _channel.SealedLength(plain.Length));
        batch.AsSpan(0, raw).CopyTo(output);
        _channel.Seal(plain, output.AsSpan(raw));
        return output;
    }

    /// <summary>
    /// The relay's path for a batch that fits one record (every batch of several frames does): the queued
    /// frames are copied once, straight to where the record's plaintext lies in the array Akka.IO writes,
    /// and sealed there, instead of into a batch array first and then into the record.
    /// </summary>
    public byte[] SealNext(OutboundQueue queue)
    {
        ArgumentNullException.ThrowIfNull(queue);
        var size = queue.NextBatchBytes(out var frames);
        if (_channel is null || _rawPending > 0 || size == 0 || size > SecureChannel.MaxRecordContent)
            return Seal(queue.TakeBatch());
        var output = GC.AllocateUninitializedArray<byte>(_channel.SealedLength(size));
        queue.TakeBatchInto(frames, output.AsSpan(SecureChannel.PlacedContentOffset, size));
        _channel.SealPlaced(output, size);
        return output;
    }

    public byte[]? TakeOutbound()
    {
        var o = _outbound;
        _outbound = null;
        if (o is not null)
            _rawPending += o.Length;
        return o;
    }

    public void Dispose()
    {
        _handshake?.Dispose();
        _handshake = null;
        _channel?.Dispose();
    }

    /// <summary>One line for a log or a refusal: the kind and reason, never a byte of the peer's.</summary>
    public static string Describe(ChannelError error) => error.Kind switch
    {
        ChannelFailure.NotAChannelClient => $"this server speaks only the encrypted channel ({ChannelProtocol.Name}); the client is a plaintext or older one: update it",
        ChannelFailure.SuiteRefused => $"channel suite refused: {error.Reason}",
        ChannelFailure.UnsupportedVersion => $"another version of the channel ({error.Reason})",
        _ => $"channel: {error}",
    };

    // The opened frames of the last TryOpen on this thread, zeroed when the next one starts. One buffer per
    // thread, not per connection: an idle connection then holds no plaintext buffer at all (issue 17's
    // memory per idle connection), and the frames are valid until the next call, which is all the
    // contract promises: the owner decodes them before its handler returns.
    private static byte[] TakeOpenedBuffer()
    {
        var opened = t_opened ?? new byte[16 * 1024];
        System.Security.Cryptography.CryptographicOperations.ZeroMemory(opened.AsSpan(0, Math.Min(t_openedUsed, opened.Length)));
        t_openedUsed = 0;
        return opened;
    }
}
