using System.Buffers.Binary;
using Entice.Crypto.Primitives;

namespace Entice.Crypto.Group;

/// <summary>
/// The per-message operations of the sender-key layer:
/// <code>
/// K (32) || NONCE (12) = HKDF-SHA256(MK, salt = 32 zero bytes, info = "Entice/v1/group-msg", 44)
/// AD     = LP("Entice/v1/group-ad") || LP(room) || LP(sender) || LP(envelope id u64 BE) || LP(header)
/// body   = ChaCha20-Poly1305(K, NONCE, AD, Pad64(plaintext))
/// signed = LP("Entice/v1/group-sig") || LP(room) || LP(sender) || LP(envelope id u64 BE) || LP(header || body)
/// </code>
/// LP = u32 BE length, then the bytes. Room and sender come from the routing header (they are not repeated
/// in the message) and are bound by both the AD and the signature.
/// </summary>
internal static class GroupCipher
{

    public static byte[] AssociatedData(string room, string sender, ulong envelopeId, ReadOnlySpan<byte> header) =>
        new LengthPrefixedWriter().Add(GroupLabels.AssociatedData).Add(room).Add(sender).Add(U64(envelopeId)).Add(header).ToArray();

    public static byte[] SignedBytes(string room, string sender, ulong envelopeId, ReadOnlySpan<byte> headerAndBody) =>
        new LengthPrefixedWriter().Add(GroupLabels.Signature).Add(room).Add(sender).Add(U64(envelopeId)).Add(headerAndBody).ToArray();

    /// <summary>
    /// The length of <c>LP(label) || LP(room) || LP(sender) || LP(envelope id) || LP(tail)</c> (the AD with the
    /// header as tail, the signed bytes with header || body), or -1 when a name is not valid Unicode.
    /// </summary>
    public static int FieldsLength(byte[] label, string room, string sender, int tailLength)
    {
        var roomLength = StrictUtf8.ByteCount(room);
        var senderLength = StrictUtf8.ByteCount(sender);
        return roomLength < 0 || senderLength < 0 ? -1 : checked((5 * 4) + label.Length + roomLength + senderLength + sizeof(ulong) + tailLength);
    }

    /// <summary>
    /// The bytes of <see cref="AssociatedData"/> (label <see cref="GroupLabels.AssociatedData"/>, tail = header) or
    /// <see cref="SignedBytes"/> (label <see cref="GroupLabels.Signature"/>, tail = header || body) into
    /// <paramref name="destination"/> of exactly <see cref="FieldsLength"/> bytes: no allocation.
    /// </summary>
    public static void WriteFields(Span<byte> destination, byte[] label, string room, string sender, ulong envelopeId, ReadOnlySpan<byte> tail)
    {
        var at = Field(destination, label);
        at += Text(destination[at..], room);
        at += Text(destination[at..], sender);
        BinaryPrimitives.WriteUInt32BigEndian(destination[at..], sizeof(ulong));
        BinaryPrimitives.WriteUInt64BigEndian(destination[(at + 4)..], envelopeId);
        at += 4 + sizeof(ulong);
        at += Field(destination[at..], tail);
        if (at != destination.Length)
            throw new CryptoException("Group message field length mismatch.");
    }

    private static int Field(Span<byte> destination, ReadOnlySpan<byte> field)
    {
        BinaryPrimitives.WriteUInt32BigEndian(destination, checked((uint)field.Length));
        field.CopyTo(destination[4..]);
        return 4 + field.Length;
    }

    private static int Text(Span<byte> destination, string text)
    {
        var length = StrictUtf8.Write(text, destination[4..]);
        BinaryPrimitives.WriteUInt32BigEndian(destination, checked((uint)length));
        return 4 + length;
    }

    /// <summary>K || NONCE for one message key (what the AEAD derives inside; the vectors check it); the caller wipes it.</summary>
    public static byte[] KeyAndNonce(ReadOnlySpan<byte> messageKey) =>
        Kdf.Hkdf(messageKey, KdfLabels.ZeroSalt, GroupLabels.MessageKeys, Libsodium.AeadKeySize + Libsodium.AeadNonceSize);

    // The pairwise layer's per-message AEAD (raw-key libsodium, no key import per message) under the
    // sender-key layer's own HKDF label.
    public static byte[] Seal(ReadOnlySpan<byte> messageKey, ReadOnlySpan<byte> associatedData, ReadOnlySpan<byte> paddedPlaintext) =>
        MessageCipher.Seal(messageKey, associatedData, paddedPlaintext, GroupLabels.MessageKeys);

    /// <summary>The padded plaintext, or null when the tag does not verify.</summary>
    public static byte[]? Open(ReadOnlySpan<byte> messageKey, ReadOnlySpan<byte> associatedData, ReadOnlySpan<byte> body) =>
        MessageCipher.Open(messageKey, associatedData, body, GroupLabels.MessageKeys);

    private static byte[] U64(ulong value)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, value);
        return bytes;
    }
}
