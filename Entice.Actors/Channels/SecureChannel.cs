using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace Entice.Channels;

/// <summary>
/// The record layer after the handshake. Each application frame (on a connection: a whole write batch)
/// is sealed into one or more records:
/// <code>
/// record    = len16 (big-endian, 19..65535) || AEAD(k, n, ad = "", plaintext)   (the suite's: ChaChaPoly or AESGCM)
/// plaintext = kind (0x00 last / 0x01 more follows) || len16 content || content || zero padding
/// </code>
/// The plaintext is padded to a size bucket (<see cref="ChannelSettings.PaddingBuckets"/>,
/// <see cref="ChannelSettings.PaddingStep"/>). The nonce is the record count in that direction, so a
/// replayed, dropped, reordered or altered record fails to authenticate. Opening never throws on peer
/// bytes and keeps at most one record of partial input (its buffer grows with what has arrived, not with
/// the length announced) and one partial frame (at most <see cref="ChannelSettings.MaxFrameSize"/>).
/// <para>
/// The hot path allocates nothing per record: <see cref="Seal(ReadOnlySpan{byte}, Span{byte})"/> writes
/// the padded plaintext straight into the caller's output and encrypts it there in place;
/// <see cref="TryOpen"/> decrypts into the caller's buffer, each record's header landing on the 3 bytes
/// before where its content belongs (saved first and put back once the header is read), so the content
/// needs no move. Partial records and partial frames use pooled
/// buffers that go back to the pool as soon as they are complete, so an idle channel holds none.
/// </para>
/// Not thread-safe: one actor owns it.
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
    private byte[]? record;     // pooled: a record split across reads (ciphertext)
    private int recordCapacity; // what was asked of the pool for it (it may hand out more)
    private int recordFilled;
    private byte[]? frame;      // pooled: a frame split across records (plaintext, zeroed before it goes back)
    private int frameFilled;
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

    /// <summary>The cipher suite the records are sealed with.</summary>
    public ChannelSuite Suite => send.Suite;

    /// <summary>The Noise handshake hash, the same on both sides: a channel binding, not a secret.</summary>
    public byte[] HandshakeHash { get; }

    /// <summary>The peer's static public key (on the client: the server's key).</summary>
    public ReadOnlySpan<byte> RemoteStaticKey => remoteStatic;

    /// <summary>The fingerprint of <see cref="RemoteStaticKey"/>.</summary>
    public ServerFingerprint RemoteFingerprint { get; }

    /// <summary>Bytes held for partial input now (for a shared memory budget): the partial record and the partial frame.</summary>
    public int BufferedBytes => lengthFilled + recordCapacity + (frame?.Length ?? 0);

    public bool IsBroken => broken is not null;

    /// <summary>The most frame bytes one record carries: a unit up to this long is sealed as one record.</summary>
    public const int MaxRecordContent = MaxContent;

    /// <summary>The bytes <see cref="Seal(ReadOnlySpan{byte}, Span{byte})"/> writes for a frame of <paramref name="frameLength"/> bytes.</summary>
    public int SealedLength(int frameLength)
    {
        CheckFrame(frameLength);
        var total = 0;
        var at = 0;
        do
        {
            var content = Math.Min(MaxContent, frameLength - at);
            total += ChannelProtocol.LengthPrefix + Padded(content) + CipherState.TagSize;
            at += content;
        }
        while (at < frameLength);
        return total;
    }

    /// <summary>The records for one frame, ready to write. A frame over the max frame size is refused.</summary>
    public byte[] Seal(ReadOnlySpan<byte> frame)
    {
        var output = GC.AllocateUninitializedArray<byte>(SealedLength(frame.Length));
        Seal(frame, output);
        return output;
    }

    /// <summary>
    /// Seals one frame into <paramref name="output"/> (at least <see cref="SealedLength"/> bytes, not
    /// overlapping <paramref name="frame"/>): each record's padded plaintext is written in place and
    /// encrypted there, so no plaintext copy is left anywhere. Returns the bytes written.
    /// </summary>
    public int Seal(ReadOnlySpan<byte> frame, Span<byte> output)
    {
        CheckFrame(frame.Length);
        if (frame.Overlaps(output))
        {
            throw new ArgumentException("The output overlaps the frame.", nameof(output));
        }

        var at = 0;
        var taken = 0;
        do
        {
            var content = frame.Slice(taken, Math.Min(MaxContent, frame.Length - taken));
            taken += content.Length;
            content.CopyTo(output[(at + PlacedContentOffset)..]);
            at += SealRecord(output[at..], content.Length, last: taken == frame.Length);
        }
        while (taken < frame.Length);
        return at;
    }

    /// <summary>Where <see cref="SealPlaced"/> expects a frame's bytes in its output: after the length prefix and the record header.</summary>
    public const int PlacedContentOffset = ChannelProtocol.LengthPrefix + RecordHeader;

    /// <summary>
    /// Seals a frame of at most <see cref="MaxRecordContent"/> bytes that the caller has already put at
    /// <see cref="PlacedContentOffset"/> in <paramref name="output"/> (at least <see cref="SealedLength"/>
    /// bytes): one record, encrypted in place, with no copy of the frame. Returns the bytes written.
    /// </summary>
    public int SealPlaced(Span<byte> output, int frameLength)
    {
        CheckFrame(frameLength);
        if (frameLength > MaxContent)
        {
            throw new ArgumentException("A placed frame must fit one record.", nameof(frameLength));
        }

        return SealRecord(output, frameLength, last: true);
    }

    /// <summary>Consume inbound bytes: the frames they complete, or the reason the channel is now broken.</summary>
    public ChannelOpenResult Open(ReadOnlySpan<byte> inbound)
    {
        var frames = new List<byte[]>();
        var buffer = Array.Empty<byte>();
        var error = OpenInto(inbound, ref buffer, OpenedStart, out _, frames);
        CryptographicOperations.ZeroMemory(buffer);
        return new ChannelOpenResult(frames, error);
    }

    /// <summary>
    /// Consume inbound bytes: the frames they complete are written one after the other into
    /// <paramref name="buffer"/>[<paramref name="start"/>..<paramref name="start"/> + <paramref name="length"/>]
    /// (grown, by a new array, when too small; its other bytes are scratch: the few before
    /// <paramref name="start"/> are where the first record's header is read, and are left as they were),
    /// or false with the reason the channel is now broken (the frames completed before the bad record are
    /// still there). The caller owns the buffer and zeroes buffer[..start + length] when done with it.
    /// </summary>
    public bool TryOpen(ReadOnlySpan<byte> inbound, ref byte[] buffer, out int start, out int length, out ChannelError? error)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        error = OpenInto(inbound, ref buffer, OpenedStart, out var end, null);
        start = OpenedStart;
        length = end - OpenedStart;
        return error is null;
    }

    /// <summary>Where <see cref="TryOpen(ReadOnlySpan{byte}, ref byte[], out int, out int, out ChannelError?)"/> puts the first opened frame in its buffer: room for one record header in front.</summary>
    public const int OpenedStart = RecordHeader;

    /// <summary>
    /// As <see cref="TryOpen(ReadOnlySpan{byte}, ref byte[], out int, out int, out ChannelError?)"/>, but the
    /// frames are appended at <paramref name="at"/> (at least <see cref="OpenedStart"/>) and end at
    /// <paramref name="end"/>: a reader that parses frames out of one buffer opens straight into it, after
    /// what it has not parsed yet. Every byte before <paramref name="at"/> is left as it was (the 3 before
    /// it are scratch for a moment and put back); a grown buffer keeps them.
    /// </summary>
    public bool TryOpen(ReadOnlySpan<byte> inbound, ref byte[] buffer, int at, out int end, out ChannelError? error)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        ArgumentOutOfRangeException.ThrowIfLessThan(at, OpenedStart);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(at, buffer.Length);
        error = OpenInto(inbound, ref buffer, at, out end, null);
        return error is null;
    }

    /// <summary>
    /// The length of the longest run of whole records at the start of <paramref name="records"/> (by their
    /// length prefixes; nothing is checked or opened). A reader that keeps a partial record in its own
    /// receive buffer, and reads the rest right after it, passes only whole records to TryOpen, so the
    /// channel never copies a record aside: a record split across reads costs no copy.
    /// </summary>
    public static int WholeRecordsLength(ReadOnlySpan<byte> records)
    {
        var at = 0;
        while (records.Length - at >= ChannelProtocol.LengthPrefix)
        {
            var next = at + ChannelProtocol.LengthPrefix + BinaryPrimitives.ReadUInt16BigEndian(records[at..]);
            if (next > records.Length)
            {
                break;
            }

            at = next;
        }

        return at;
    }

    public void Dispose()
    {
        send.Dispose();
        receive.Dispose();
        ReleaseRecord();
        ReleaseFrame();
    }

    // Opens into buffer from at (>= OpenedStart); end is where the opened frames end.
    private ChannelError? OpenInto(ReadOnlySpan<byte> inbound, ref byte[] buffer, int at, out int end, List<byte[]>? frames)
    {
        end = at;
        if (broken is not null)
        {
            return broken;
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
                    return Break(ChannelFailure.Malformed, $"a record of {recordLength} bytes (at least {MinRecord})");
                }

                // The whole record is here: open it straight from the input, no copy.
                if (inbound.Length >= recordLength)
                {
                    if (OpenRecord(inbound[..recordLength], ref buffer, ref end, frames) is { } failure)
                    {
                        return Break(failure.Kind, failure.Reason);
                    }

                    inbound = inbound[recordLength..];
                    lengthFilled = 0;
                }

                continue;
            }

            var want = Math.Min(recordLength - recordFilled, inbound.Length);
            if (recordCapacity < recordFilled + want)
            {
                GrowRecord(Math.Min(recordLength, Math.Max(recordFilled + want, 2 * recordCapacity)));
            }

            inbound[..want].CopyTo(record!.AsSpan(recordFilled));
            recordFilled += want;
            inbound = inbound[want..];
            if (recordFilled < recordLength)
            {
                break;
            }

            var error = OpenRecord(record.AsSpan(0, recordLength), ref buffer, ref end, frames);
            ReleaseRecord();
            lengthFilled = 0;
            if (error is not null)
            {
                return Break(error.Kind, error.Reason);
            }
        }

        return null;
    }

    // Decrypts one record so that its content lands at buffer[end..]: the padded plaintext starts 3 bytes
    // earlier, its header on the tail of the previous frame (or the gap before OpenedStart). Those 3
    // bytes are saved first and put back as soon as the header is read, before anything else reads the
    // buffer, so the content needs no move. A whole frame stays where it landed; a frame that continues
    // in the next record goes to the partial frame and its bytes here are zeroed.
    private ChannelError? OpenRecord(ReadOnlySpan<byte> ciphertext, ref byte[] buffer, ref int end, List<byte[]>? frames)
    {
        var paddedLength = ciphertext.Length - CipherState.TagSize;
        var at = end - RecordHeader;
        EnsureCapacity(ref buffer, end, at + paddedLength);
        var padded = buffer.AsSpan(at, paddedLength);
        var body = padded[RecordHeader..]; // content || zero padding, from end
        Span<byte> saved = stackalloc byte[RecordHeader];
        padded[..RecordHeader].CopyTo(saved);
        if (!receive.TryDecryptWithAd([], ciphertext, padded))
        {
            padded.Clear();
            saved.CopyTo(padded);
            saved.Clear();
            return new ChannelError(ChannelFailure.AuthenticationFailed, "a record did not authenticate (altered, replayed, reordered or lost)");
        }

        var kind = padded[0];
        int contentLength = BinaryPrimitives.ReadUInt16BigEndian(padded[1..]);
        saved.CopyTo(padded);
        saved.Clear();
        if (kind is not (KindLast or KindMore) || contentLength > body.Length
            || body[contentLength..].ContainsAnyExcept((byte)0))
        {
            body.Clear();
            return new ChannelError(ChannelFailure.Malformed, "an authenticated record with a bad layout");
        }

        if (frameFilled + contentLength > settings.MaxFrameSize)
        {
            body.Clear();
            return new ChannelError(ChannelFailure.FrameTooLarge, $"a frame over the limit of {settings.MaxFrameSize} bytes");
        }

        var content = body[..contentLength];
        if (kind == KindLast && frame is null)
        {
            // Already in place, the padding after it already zero.
            frames?.Add(content.ToArray());
            end += contentLength;
            return null;
        }

        if (frame is null || frame.Length < frameFilled + contentLength)
        {
            GrowFrame(frameFilled + contentLength);
        }

        content.CopyTo(frame.AsSpan(frameFilled));
        frameFilled += contentLength;
        body.Clear();
        if (kind == KindLast)
        {
            EnsureCapacity(ref buffer, end, end + frameFilled);
            frame.AsSpan(0, frameFilled).CopyTo(buffer.AsSpan(end));
            frames?.Add(frame.AsSpan(0, frameFilled).ToArray());
            end += frameFilled;
            ReleaseFrame();
        }

        return null;
    }

    private static void EnsureCapacity(ref byte[] buffer, int used, int needed)
    {
        if (buffer.Length >= needed)
        {
            return;
        }

        var grown = GC.AllocateUninitializedArray<byte>(Math.Max(needed, 2 * buffer.Length));
        used = Math.Min(used, buffer.Length);
        buffer.AsSpan(0, used).CopyTo(grown);
        CryptographicOperations.ZeroMemory(buffer.AsSpan(0, used));
        buffer = grown;
    }

    [MemberNotNull(nameof(record))]
    private void GrowRecord(int capacity)
    {
        var grown = ArrayPool<byte>.Shared.Rent(capacity);
        if (record is not null)
        {
            record.AsSpan(0, recordFilled).CopyTo(grown);
            ArrayPool<byte>.Shared.Return(record);
        }

        record = grown;
        recordCapacity = capacity;
    }

    private void ReleaseRecord()
    {
        if (record is not null)
        {
            ArrayPool<byte>.Shared.Return(record);
        }

        record = null;
        recordCapacity = 0;
        recordFilled = 0;
    }

    [MemberNotNull(nameof(frame))]
    private void GrowFrame(int needed)
    {
        var grown = ArrayPool<byte>.Shared.Rent(Math.Max(needed, 2 * (frame?.Length ?? 0)));
        if (frame is not null)
        {
            frame.AsSpan(0, frameFilled).CopyTo(grown);
            CryptographicOperations.ZeroMemory(frame.AsSpan(0, frameFilled));
            ArrayPool<byte>.Shared.Return(frame);
        }

        frame = grown;
    }

    private void ReleaseFrame()
    {
        if (frame is not null)
        {
            CryptographicOperations.ZeroMemory(frame.AsSpan(0, frameFilled));
            ArrayPool<byte>.Shared.Return(frame);
        }

        frame = null;
        frameFilled = 0;
    }

    // One record at the start of output, its content already at PlacedContentOffset: length prefix,
    // header and zero padding written around it, then the padded plaintext encrypted in place.
    private int SealRecord(Span<byte> output, int contentLength, bool last)
    {
        var padded = Padded(contentLength);
        BinaryPrimitives.WriteUInt16BigEndian(output, (ushort)(padded + CipherState.TagSize));
        var sealedRecord = output.Slice(ChannelProtocol.LengthPrefix, padded + CipherState.TagSize);
        var plain = sealedRecord[..padded];
        plain[0] = last ? KindLast : KindMore;
        BinaryPrimitives.WriteUInt16BigEndian(plain[1..], (ushort)contentLength);
        plain[(RecordHeader + contentLength)..].Clear();
        send.EncryptWithAd([], plain, sealedRecord);
        return ChannelProtocol.LengthPrefix + sealedRecord.Length;
    }

    private int Padded(int content) => RecordPadding.PaddedLength(RecordHeader + content, settings.PaddingBuckets, settings.PaddingStep);

    private void CheckFrame(int frameLength)
    {
        if (frameLength > settings.MaxFrameSize)
        {
            throw new ArgumentException($"A frame of {frameLength} bytes is over the channel's limit of {settings.MaxFrameSize}.", nameof(frameLength));
        }
    }

    private ChannelError Break(ChannelFailure kind, string reason)
    {
        broken = new ChannelError(kind, reason);
        ReleaseRecord();
        ReleaseFrame();
        return broken;
    }
}
