using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;

namespace Entice.Crypto;

/// <summary>
/// What is inside a chat ciphertext: a per-conversation sequence number (so gaps and order are visible),
/// the sender's clock at sending, and the text. Layout: version (1) || seq u64 BE || time i64 BE || UTF-8.
/// </summary>
public sealed record ChatPlaintext(ulong Sequence, long SentAtUnixMs, string Text)
{
    public const byte Version = 0x01;

    private const int HeaderSize = 1 + 8 + 8;

    public byte[] Encode()
    {
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

    // The text is the secret: never let it reach a log through ToString.
    public override string ToString() => $"ChatPlaintext(#{Sequence}, {Text.Length} chars)";
}
