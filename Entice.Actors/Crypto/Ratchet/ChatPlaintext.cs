using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using Entice.Crypto.Primitives;

namespace Entice.Crypto.Ratchet;

/// <summary>
/// What is inside a chat ciphertext: a per-conversation sequence number (so gaps and order are visible),
/// the sender's clock at sending, and the text. Layout: version (1) || seq u64 BE || time i64 BE || UTF-8.
/// A delivery receipt (version 2) carries, instead of text, the envelope ids its sender decrypted:
/// count u16 BE || id u64 BE * count. Receipts travel encrypted like messages, so the relay cannot tell
/// them from text.
/// </summary>
public sealed record ChatPlaintext(ulong Sequence, long SentAtUnixMs, string Text)
{
    public const byte Version = 0x01;

    public const byte ReceiptVersion = 0x02;

    /// <summary>Most envelope ids one receipt may acknowledge.</summary>
    public const int MaxReceiptIds = 1024;

    private const int HeaderSize = 1 + 8 + 8;

    /// <summary>For a receipt: the envelope ids the receipt's sender has decrypted; null for a message.</summary>
    public IReadOnlyList<ulong>? ReceiptFor { get; init; }

    public static ChatPlaintext Receipt(ulong sequence, long sentAtUnixMs, IReadOnlyList<ulong> envelopeIds)
    {
        ArgumentNullException.ThrowIfNull(envelopeIds);
        if (envelopeIds.Count is 0 or > MaxReceiptIds)
            throw new ArgumentOutOfRangeException(nameof(envelopeIds), "a receipt names 1 to 1024 envelopes");
        return new ChatPlaintext(sequence, sentAtUnixMs, "") { ReceiptFor = envelopeIds };
    }

    public byte[] Encode()
    {
        if (ReceiptFor is { } ids)
        {
            var receipt = new byte[HeaderSize + 2 + (8 * ids.Count)];
            receipt[0] = ReceiptVersion;
            BinaryPrimitives.WriteUInt64BigEndian(receipt.AsSpan(1, 8), Sequence);
            BinaryPrimitives.WriteInt64BigEndian(receipt.AsSpan(9, 8), SentAtUnixMs);
            BinaryPrimitives.WriteUInt16BigEndian(receipt.AsSpan(HeaderSize, 2), (ushort)ids.Count);
            for (var i = 0; i < ids.Count; i++)
                BinaryPrimitives.WriteUInt64BigEndian(receipt.AsSpan(HeaderSize + 2 + (8 * i), 8), ids[i]);
            return receipt;
        }

        var text = StrictUtf8.GetBytes(Text);
        var encoded = new byte[HeaderSize + text.Length];
        encoded[0] = Version;
        BinaryPrimitives.WriteUInt64BigEndian(encoded.AsSpan(1, 8), Sequence);
        BinaryPrimitives.WriteInt64BigEndian(encoded.AsSpan(9, 8), SentAtUnixMs);
        text.CopyTo(encoded, HeaderSize);
        return encoded;
    }

    /// <summary>Decode, refusing an unknown version, a short buffer or text that is not strict UTF-8.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> encoded, [NotNullWhen(true)] out ChatPlaintext? plaintext)
    {
        plaintext = null;
        if (encoded.Length >= HeaderSize + 2 && encoded[0] == ReceiptVersion)
        {
            return TryDecodeReceipt(encoded, out plaintext);
        }

        if (encoded.Length < HeaderSize || encoded[0] != Version)
        {
            return false;
        }

        if (!StrictUtf8.TryGetString(encoded[HeaderSize..], out var text))
        {
            return false;
        }

        plaintext = new ChatPlaintext(
            BinaryPrimitives.ReadUInt64BigEndian(encoded.Slice(1, 8)),
            BinaryPrimitives.ReadInt64BigEndian(encoded.Slice(9, 8)),
            text);
        return true;
    }

    private static bool TryDecodeReceipt(ReadOnlySpan<byte> encoded, [NotNullWhen(true)] out ChatPlaintext? receipt)
    {
        receipt = null;
        var count = BinaryPrimitives.ReadUInt16BigEndian(encoded.Slice(HeaderSize, 2));
        if (count is 0 or > MaxReceiptIds || encoded.Length != HeaderSize + 2 + (8 * count))
        {
            return false;
        }

        var ids = new ulong[count];
        for (var i = 0; i < count; i++)
        {
            ids[i] = BinaryPrimitives.ReadUInt64BigEndian(encoded.Slice(HeaderSize + 2 + (8 * i), 8));
        }

        receipt = Receipt(
            BinaryPrimitives.ReadUInt64BigEndian(encoded.Slice(1, 8)),
            BinaryPrimitives.ReadInt64BigEndian(encoded.Slice(9, 8)),
            ids);
        return true;
    }

    // The text is the secret: never let it reach a log through ToString.
    public override string ToString() =>
        ReceiptFor is { } ids ? $"ChatPlaintext(#{Sequence}, receipt for {ids.Count})" : $"ChatPlaintext(#{Sequence}, {Text.Length} chars)";
}
