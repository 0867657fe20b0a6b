using System.Buffers.Binary;

namespace Entice.Crypto;

/// <summary>
/// The cleartext header of a session ciphertext: version 0x01 || EK (32) || prekey id (u32 BE) || N (u32 BE).
/// It is authenticated as part of the AD, so none of it can be altered without breaking the tag.
/// </summary>
internal sealed class SessionHeader
{
    public const byte Version = 0x01;
    public const int Size = 1 + EphemeralKeySize + 4 + 4;

    private const int EphemeralKeySize = 32;

    public SessionHeader(byte[] ephemeralKey, uint prekeyId, uint index)
    {
        EphemeralKey = ephemeralKey;
        PrekeyId = prekeyId;
        Index = index;
    }

    public byte[] EphemeralKey { get; }

    public uint PrekeyId { get; }

    /// <summary>N: the message's position in the sending chain.</summary>
    public uint Index { get; }

    public static bool TryParse(ReadOnlySpan<byte> ciphertext, out SessionHeader? header)
    {
        header = null;
        if (ciphertext.Length < Size || ciphertext[0] != Version)
        {
            return false;
        }

        header = new SessionHeader(
            ciphertext.Slice(1, EphemeralKeySize).ToArray(),
            BinaryPrimitives.ReadUInt32BigEndian(ciphertext.Slice(1 + EphemeralKeySize, 4)),
            BinaryPrimitives.ReadUInt32BigEndian(ciphertext.Slice(1 + EphemeralKeySize + 4, 4)));
        return true;
    }

    public byte[] Encode()
    {
        var bytes = new byte[Size];
        bytes[0] = Version;
        EphemeralKey.CopyTo(bytes, 1);
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(1 + EphemeralKeySize, 4), PrekeyId);
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(1 + EphemeralKeySize + 4, 4), Index);
        return bytes;
    }
}
