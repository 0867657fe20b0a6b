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

    // HKDF straight into the caller's (stack) buffer: no key object, nothing left on the heap to wipe.
    private static void DeriveKeyAndNonce(ReadOnlySpan<byte> messageKey, byte[] info, Span<byte> keyAndNonce) =>
        Kdf.HkdfInto(messageKey, KdfLabels.ZeroSalt, info, keyAndNonce);
}
