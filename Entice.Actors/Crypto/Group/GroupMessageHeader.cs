using System.Buffers.Binary;

namespace Entice.Crypto.Group;

/// <summary>
/// The cleartext header of a room message, fixed size, all of it in the AEAD's associated data and under
/// the signature:
/// <code>
/// 0x11 || key id (u32 BE) || iteration (u32 BE) || epoch (u64 BE) || member-set hash (32)      49 bytes
/// </code>
/// The whole message is header || body || signature (64), body = ChaCha20-Poly1305(Pad64(plaintext)).
/// The first byte tells a room message (0x11) from a pairwise ciphertext (0x03).
/// </summary>
internal readonly record struct GroupMessageHeader(uint KeyId, uint Iteration, ulong Epoch, byte[] MemberSetHash)
{
    public const byte Version = 0x11;
    public const int Size = 1 + 4 + 4 + 8 + HashSize;
    public const int SignatureSize = 64;
    public const int TagSize = 16;

    /// <summary>The shortest message: header, one padded block with its tag, signature.</summary>
    public const int MinMessageSize = Size + Entice.Crypto.Primitives.Padding.BlockSize + TagSize + SignatureSize;

    private const int HashSize = 32;

    public byte[] Encode()
    {
        var bytes = new byte[Size];
        Write(bytes);
        return bytes;
    }

    /// <summary>The encoding, into the first <see cref="Size"/> bytes of <paramref name="bytes"/>.</summary>
    public void Write(Span<byte> bytes)
    {
        bytes[0] = Version;
        BinaryPrimitives.WriteUInt32BigEndian(bytes.Slice(1, 4), KeyId);
        BinaryPrimitives.WriteUInt32BigEndian(bytes.Slice(5, 4), Iteration);
        BinaryPrimitives.WriteUInt64BigEndian(bytes.Slice(9, 8), Epoch);
        MemberSetHash.CopyTo(bytes[17..]);
    }

    /// <summary>
    /// Splits a message into header, body and signature, refusing every length the sender cannot produce
    /// (the body is a whole number of 64-byte blocks plus the tag). Never throws.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> message, out GroupMessageHeader header)
    {
        header = default;
        if (message.Length < MinMessageSize || message[0] != Version || (message.Length - Size - SignatureSize - TagSize) % Entice.Crypto.Primitives.Padding.BlockSize != 0)
        {
            return false;
        }

        header = new GroupMessageHeader(
            BinaryPrimitives.ReadUInt32BigEndian(message.Slice(1, 4)),
            BinaryPrimitives.ReadUInt32BigEndian(message.Slice(5, 4)),
            BinaryPrimitives.ReadUInt64BigEndian(message.Slice(9, 8)),
            message.Slice(17, HashSize).ToArray());
        return true;
    }
}
