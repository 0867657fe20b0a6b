using System.Security.Cryptography;

namespace Entice.Crypto.Primitives;

/// <summary>
/// Per-message AEAD: K (32) || NONCE (12) = HKDF(MK, salt = 32 zero bytes, info = "Entice/v1/msg", 44),
/// then ChaCha20-Poly1305 (libsodium, raw key bytes: see <see cref="Libsodium"/>) with AD = length-prefixed ("Entice/v1", IKsig_I, IKdh_I, IKsig_R, IKdh_R,
/// header, room, sender, recipient, direct, envelope id (u64 BE)). Every message key is used for exactly one message.
/// </summary>
internal static class MessageCipher
{
    public const int TagSize = Libsodium.AeadTagSize;

    private const int KeySize = Libsodium.AeadKeySize;
    private const int NonceSize = Libsodium.AeadNonceSize;

    public static byte[] AssociatedData(IBoundKeys initiator, IBoundKeys responder, byte[] header, IBoundDestination context) =>
        new LengthPrefixedWriter()
            .Add(KdfLabels.AssociatedDataPrefix)
            .Add(initiator.SigningKey)
            .Add(initiator.DhKey)
            .Add(responder.SigningKey)
            .Add(responder.DhKey)
            .Add(header)
            .Add(context.Room)
            .Add(context.Sender)
            .Add(context.Recipient)
            .Add([context.Direct ? (byte)1 : (byte)0])
            .Add(EnvelopeId(context.EnvelopeId))
            .ToArray();

    /// <summary>
    /// The part of <see cref="AssociatedData"/> that is the same for every message of a session: the label and
    /// both parties' identity keys, length-prefixed. A session computes it once.
    /// </summary>
    public static byte[] AssociatedDataPrefix(IBoundKeys initiator, IBoundKeys responder) =>
        new LengthPrefixedWriter()
            .Add(KdfLabels.AssociatedDataPrefix)
            .Add(initiator.SigningKey)
            .Add(initiator.DhKey)
            .Add(responder.SigningKey)
            .Add(responder.DhKey)
            .ToArray();

    /// <summary>
    /// The length of the associated data <see cref="WriteAssociatedData"/> writes, or -1 when a name in
    /// <paramref name="context"/> is not valid Unicode (such a context cannot be bound, so no message has it).
    /// </summary>
    public static int AssociatedDataLength(ReadOnlySpan<byte> prefix, int headerLength, IBoundDestination context)
    {
        var room = StrictUtf8.ByteCount(context.Room);
        var sender = StrictUtf8.ByteCount(context.Sender);
        var recipient = StrictUtf8.ByteCount(context.Recipient);
        return room < 0 || sender < 0 || recipient < 0
            ? -1
            : checked(prefix.Length + (6 * 4) + headerLength + room + sender + recipient + 1 + sizeof(ulong));
    }

    /// <summary>
    /// Writes the same bytes as <see cref="AssociatedData"/> into <paramref name="destination"/> (exactly
    /// <see cref="AssociatedDataLength"/> bytes), from a session's <see cref="AssociatedDataPrefix"/>: no allocation.
    /// </summary>
    public static void WriteAssociatedData(Span<byte> destination, ReadOnlySpan<byte> prefix, ReadOnlySpan<byte> header, IBoundDestination context)
    {
        prefix.CopyTo(destination);
        var at = prefix.Length;
        at += WriteField(destination[at..], header);
        at += WriteText(destination[at..], context.Room);
        at += WriteText(destination[at..], context.Sender);
        at += WriteText(destination[at..], context.Recipient);
        at += WriteField(destination[at..], [context.Direct ? (byte)1 : (byte)0]);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(destination[at..], sizeof(ulong));
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(destination[(at + 4)..], context.EnvelopeId);
        if (at + 4 + sizeof(ulong) != destination.Length)
        {
            throw new CryptoException("Associated data length mismatch.");
        }
    }

    private static int WriteField(Span<byte> destination, ReadOnlySpan<byte> field)
    {
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(destination, checked((uint)field.Length));
        field.CopyTo(destination[4..]);
        return 4 + field.Length;
    }

    private static int WriteText(Span<byte> destination, string text)
    {
        var length = StrictUtf8.Write(text, destination[4..]);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(destination, checked((uint)length));
        return 4 + length;
    }

    private static byte[] EnvelopeId(ulong id)
    {
        var bytes = new byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(bytes, id);
        return bytes;
    }

    public static byte[] Seal(ReadOnlySpan<byte> messageKey, ReadOnlySpan<byte> associatedData, ReadOnlySpan<byte> paddedPlaintext) =>
        Seal(messageKey, associatedData, paddedPlaintext, KdfLabels.Message);

    /// <summary>The same AEAD with another HKDF info label (the sender-key layer's own, for domain separation).</summary>
    public static byte[] Seal(ReadOnlySpan<byte> messageKey, ReadOnlySpan<byte> associatedData, ReadOnlySpan<byte> paddedPlaintext, byte[] info)
    {
        var sealedBody = new byte[paddedPlaintext.Length + TagSize];
        Span<byte> keyAndNonce = stackalloc byte[KeySize + NonceSize];
        try
        {
            DeriveKeyAndNonce(messageKey, info, keyAndNonce);
            Libsodium.AeadEncrypt(sealedBody, paddedPlaintext, associatedData, keyAndNonce.Slice(KeySize, NonceSize), keyAndNonce[..KeySize]);
            return sealedBody;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(keyAndNonce);
        }
    }

    /// <summary>
    /// <see cref="Seal(ReadOnlySpan{byte}, ReadOnlySpan{byte}, ReadOnlySpan{byte}, byte[])"/> in place:
    /// <paramref name="buffer"/> holds the padded plaintext followed by <see cref="TagSize"/> free bytes and ends
    /// as ciphertext || tag, the same bytes Seal returns. No copy of the plaintext is made.
    /// </summary>
    public static void SealInPlace(ReadOnlySpan<byte> messageKey, ReadOnlySpan<byte> associatedData, Span<byte> buffer, byte[] info)
    {
        Span<byte> keyAndNonce = stackalloc byte[KeySize + NonceSize];
        try
        {
            DeriveKeyAndNonce(messageKey, info, keyAndNonce);
            // libsodium encrypts in place when the plaintext and ciphertext start at the same address.
            Libsodium.AeadEncrypt(buffer, buffer[..^TagSize], associatedData, keyAndNonce.Slice(KeySize, NonceSize), keyAndNonce[..KeySize]);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(keyAndNonce);
        }
    }

    /// <summary>
    /// <see cref="Open(ReadOnlySpan{byte}, ReadOnlySpan{byte}, ReadOnlySpan{byte}, byte[])"/> into the caller's
    /// buffer (<paramref name="sealedBody"/> length − <see cref="TagSize"/> bytes; zeroed when the tag does not
    /// verify, the caller zeroes it after use). False when the tag does not verify.
    /// </summary>
    public static bool OpenInto(ReadOnlySpan<byte> messageKey, ReadOnlySpan<byte> associatedData, ReadOnlySpan<byte> sealedBody, Span<byte> padded, byte[] info)
    {
        if (sealedBody.Length < TagSize || padded.Length != sealedBody.Length - TagSize)
        {
            return false;
        }

        Span<byte> keyAndNonce = stackalloc byte[KeySize + NonceSize];
        try
        {
            DeriveKeyAndNonce(messageKey, info, keyAndNonce);
            return Libsodium.AeadDecrypt(padded, sealedBody, associatedData, keyAndNonce.Slice(KeySize, NonceSize), keyAndNonce[..KeySize]);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(keyAndNonce);
        }
    }

    /// <summary>The padded plaintext, or null when the tag does not verify.</summary>
    public static byte[]? Open(ReadOnlySpan<byte> messageKey, ReadOnlySpan<byte> associatedData, ReadOnlySpan<byte> sealedBody) =>
        Open(messageKey, associatedData, sealedBody, KdfLabels.Message);

    /// <summary>The padded plaintext, or null when the tag does not verify; keys derived with <paramref name="info"/>.</summary>
    public static byte[]? Open(ReadOnlySpan<byte> messageKey, ReadOnlySpan<byte> associatedData, ReadOnlySpan<byte> sealedBody, byte[] info)
    {
        if (sealedBody.Length < TagSize)
        {
            return null;
        }

        var padded = new byte[sealedBody.Length - TagSize];
        Span<byte> keyAndNonce = stackalloc byte[KeySize + NonceSize];
        try
        {
            DeriveKeyAndNonce(messageKey, info, keyAndNonce);
            return Libsodium.AeadDecrypt(padded, sealedBody, associatedData, keyAndNonce.Slice(KeySize, NonceSize), keyAndNonce[..KeySize])
                ? padded
                : null;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(keyAndNonce);
        }
    }

    // HKDF (salt = 32 zero bytes) straight into the caller's (stack) buffer: no key object, nothing left on the
    // heap to wipe; the zero salt's keyed HMAC state is computed once (Kdf.HkdfZeroSaltInto).
    private static void DeriveKeyAndNonce(ReadOnlySpan<byte> messageKey, byte[] info, Span<byte> keyAndNonce) =>
        Kdf.HkdfZeroSaltInto(messageKey, info, keyAndNonce);
}
