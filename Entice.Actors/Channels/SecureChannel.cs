using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Entice.Channels;

/// <summary>
/// The record layer after the handshake. Each application frame is sealed into one or more records:
/// <code>
/// record    = len16 (big-endian, 19..65535) || ChaChaPoly(k, n, ad = "", plaintext)
/// plaintext = kind (0x00 last / 0x01 more follows) || len16 content || content || zero padding
/// </code>
/// The plaintext is padded to a size bucket (<see cref="ChannelSettings.PaddingBuckets"/>). The nonce is
/// the record count in that direction, so a replayed, dropped, reordered or altered record fails to
/// authenticate. <see cref="Open"/> never throws on peer bytes and keeps at most one record of partial
/// input (its buffer grows with what has arrived, not with the length announced) and one partial frame
/// (at most <see cref="ChannelSettings.MaxFrameSize"/>). Not thread-safe: one actor owns it.
/// </summary>
public sealed class SecureChannel : IDisposable
{
    private const int RecordHeader = 3;
    private const byte KindLast = 0x00;
    private const byte KindMore = 0x01;
    private const int MinRecord = RecordHeader + CipherState.TagSize;
    private const int MaxContent = RecordPadding.MaxPlaintext - RecordHeader;

    private readonly CipherState send;
    private readonly CipherState receive;
    private readonly ChannelSettings settings;
    private readonly byte[] remoteStatic;
    private readonly byte[] lengthBytes = new byte[ChannelProtocol.LengthPrefix];
    private int lengthFilled;
    private int recordLength;
    private byte[] record = [];
    private int recordFilled;
    private MemoryStream? frame;
    private ChannelError? broken;

    internal SecureChannel(CipherState send, CipherState receive, ChannelSettings settings, byte[] handshakeHash, byte[] remoteStatic)
    {
        this.send = send;
        this.receive = receive;
        this.settings = settings;
        HandshakeHash = handshakeHash;
        this.remoteStatic = remoteStatic;
        RemoteFingerprint = ServerFingerprint.Of(remoteStatic);
    }

    /// <summary>The Noise handshake hash, the same on both sides: a channel binding, not a secret.</summary>
    public byte[] HandshakeHash { get; }

    /// <summary>The peer's static public key (on the client: the server's key).</summary>
    public ReadOnlySpan<byte> RemoteStaticKey => remoteStatic;

    /// <summary>The fingerprint of <see cref="RemoteStaticKey"/>.</summary>
    public ServerFingerprint RemoteFingerprint { get; }

    /// <summary>Bytes allocated for partial input now (for a shared memory budget): the record buffer and the partial frame.</summary>
    public int BufferedBytes => lengthFilled + record.Length + (frame?.Capacity ?? 0);

    public bool IsBroken => broken is not null;

    /// <summary>The records for one frame, ready to write. A frame over the max frame size is refused.</summary>
    public byte[] Seal(ReadOnlySpan<byte> frame)
    {
        if (frame.Length > settings.MaxFrameSize)
        {
            throw new ArgumentException($"A frame of {frame.Length} bytes is over the channel's limit of {settings.MaxFrameSize}.", nameof(frame));
        }

        var chunks = Math.Max(1, (frame.Length + MaxContent - 1) / MaxContent);
        var sizes = new int[chunks];
        var total = 0;
        for (var i = 0; i < chunks; i++)
        {
            var content = Math.Min(MaxContent, frame.Length - (i * MaxContent));
            sizes[i] = RecordPadding.PaddedLength(RecordHeader + content, settings.PaddingBuckets);
            total += ChannelProtocol.LengthPrefix + sizes[i] + CipherState.TagSize;
        }

        var output = new byte[total];
        var plain = ArrayPool<byte>.Shared.Rent(RecordPadding.MaxPlaintext);
        try
        {
            var at = 0;
            for (var i = 0; i < chunks; i++)
            {
                var content = frame.Slice(i * MaxContent, Math.Min(MaxContent, frame.Length - (i * MaxContent)));
                var padded = plain.AsSpan(0, sizes[i]);
                padded.Clear();
                padded[0] = i == chunks - 1 ? KindLast : KindMore;
                BinaryPrimitives.WriteUInt16BigEndian(padded[1..], (ushort)content.Length);
                content.CopyTo(padded[RecordHeader..]);
                BinaryPrimitives.WriteUInt16BigEndian(output.AsSpan(at), (ushort)(sizes[i] + CipherState.TagSize));
                at += ChannelProtocol.LengthPrefix;
                send.EncryptWithAd([], padded, output.AsSpan(at, sizes[i] + CipherState.TagSize));
                at += sizes[i] + CipherState.TagSize;
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plain);
            ArrayPool<byte>.Shared.Return(plain);
        }

        return output;
    }

    /// <summary>Consume inbound bytes: the frames they complete, or the reason the channel is now broken.</summary>
    public ChannelOpenResult Open(ReadOnlySpan<byte> inbound)
    {
        var frames = new List<byte[]>();
        if (broken is not null)
        {
            return new ChannelOpenResult(frames, broken);
        }

        while (!inbound.IsEmpty)
        {
            if (lengthFilled < ChannelProtocol.LengthPrefix)
            {
                var take = Math.Min(ChannelProtocol.LengthPrefix - lengthFilled, inbound.Length);
                inbound[..take].CopyTo(lengthBytes.AsSpan(lengthFilled));
                lengthFilled += take;
                inbound = inbound[take..];
                if (lengthFilled < ChannelProtocol.LengthPrefix)
                {
                    break;
                }

                recordLength = BinaryPrimitives.ReadUInt16BigEndian(lengthBytes);
                if (recordLength < MinRecord)
                {
                    return Break(frames, ChannelFailure.Malformed, $"a record of {recordLength} bytes (at least {MinRecord})");
                }

                // The whole record is here: open it in place, no copy.
                if (inbound.Length >= recordLength)
                {
                    if (!OpenRecord(inbound[..recordLength], frames, out var error))
                    {
                        return Break(frames, error.Kind, error.Reason);
                    }

                    inbound = inbound[recordLength..];
                    lengthFilled = 0;
                }

                continue;
            }

            var want = Math.Min(recordLength - recordFilled, inbound.Length);
            if (record.Length < recordFilled + want)
            {
                Array.Resize(ref record, Math.Min(recordLength, Math.Max(recordFilled + want, 2 * record.Length)));
            }

            inbound[..want].CopyTo(record.AsSpan(recordFilled));
            recordFilled += want;
            inbound = inbound[want..];
            if (recordFilled < recordLength)
            {
                break;
            }

            var ok = OpenRecord(record.AsSpan(0, recordLength), frames, out var failure);
            record = [];
            recordFilled = 0;
            lengthFilled = 0;
            if (!ok)
            {
                return Break(frames, failure!.Kind, failure.Reason);
            }
        }

        return new ChannelOpenResult(frames, null);
    }

    public void Dispose()
    {
        send.Dispose();
        receive.Dispose();
        frame?.Dispose();
    }

    private bool OpenRecord(ReadOnlySpan<byte> ciphertext, List<byte[]> frames, out ChannelError error)
    {
        error = null!;
        var plain = ArrayPool<byte>.Shared.Rent(ciphertext.Length - CipherState.TagSize);
        var padded = plain.AsSpan(0, ciphertext.Length - CipherState.TagSize);
        try
        {
            if (!receive.TryDecryptWithAd([], ciphertext, padded))
            {
                error = new ChannelError(ChannelFailure.AuthenticationFailed, "a record did not authenticate (altered, replayed, reordered or lost)");
                return false;
            }

            var kind = padded[0];
            int length = BinaryPrimitives.ReadUInt16BigEndian(padded[1..]);
            if (kind is not (KindLast or KindMore) || length > padded.Length - RecordHeader
                || padded[(RecordHeader + length)..].ContainsAnyExcept((byte)0))
            {
                error = new ChannelError(ChannelFailure.Malformed, "an authenticated record with a bad layout");
                return false;
            }

            var content = padded.Slice(RecordHeader, length);
            if ((frame?.Length ?? 0) + length > settings.MaxFrameSize)
            {
                error = new ChannelError(ChannelFailure.FrameTooLarge, $"a frame over the limit of {settings.MaxFrameSize} bytes");
                return false;
            }

            if (kind == KindLast && frame is null)
            {
                frames.Add(content.ToArray());
                return true;
            }

            frame ??= new MemoryStream();
            frame.Write(content);
            if (kind == KindLast)
            {
                frames.Add(frame.ToArray());
                frame.Dispose();
                frame = null;
            }

            return true;
        }
        finally
        {
            padded.Clear();
            ArrayPool<byte>.Shared.Return(plain);
        }
    }

    private ChannelOpenResult Break(List<byte[]> frames, ChannelFailure kind, string reason)
    {
        broken = new ChannelError(kind, reason);
        record = [];
        frame?.Dispose();
        frame = null;
        return new ChannelOpenResult(frames, broken);
    }
}
