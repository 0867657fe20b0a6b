using NSec.Cryptography;
using Entice.Crypto.Identity;
using Entice.Crypto.Ratchet;

namespace Entice.Crypto.Primitives;

/// <summary>
/// Per-message AEAD: K (32) || NONCE (12) = HKDF(MK, salt = 32 zero bytes, info = "Entice/v1/msg", 44),
/// then ChaCha20-Poly1305 with AD = length-prefixed ("Entice/v1", IKsig_I, IKdh_I, IKsig_R, IKdh_R,
/// header, room, sender, recipient, direct, envelope id (u64 BE)). Every message key is used for exactly one message.
/// </summary>
internal static class MessageCipher
{
    public static readonly int TagSize = AeadAlgorithm.ChaCha20Poly1305.TagSize;

    private static readonly int KeySize = AeadAlgorithm.ChaCha20Poly1305.KeySize;
    private static readonly int NonceSize = AeadAlgorithm.ChaCha20Poly1305.NonceSize;

    public static byte[] AssociatedData(PublicIdentity initiator, PublicIdentity responder, byte[] header, MessageContext context) =>
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

    public static byte[] Seal(ReadOnlySpan<byte> messageKey, ReadOnlySpan<byte> associatedData, ReadOnlySpan<byte> paddedPlaintext)
    {
        var keyAndNonce = Kdf.Hkdf(messageKey, KdfLabels.ZeroSalt, KdfLabels.Message, KeySize + NonceSize);
        try
        {
            using var key = Key.Import(AeadAlgorithm.ChaCha20Poly1305, keyAndNonce.AsSpan(0, KeySize), KeyBlobFormat.RawSymmetricKey);
            return AeadAlgorithm.ChaCha20Poly1305.Encrypt(key, keyAndNonce.AsSpan(KeySize, NonceSize), associatedData, paddedPlaintext);
        }
        finally
        {
            Kdf.Wipe(keyAndNonce);
        }
    }

    /// <summary>The padded plaintext, or null when the tag does not verify.</summary>
    public static byte[]? Open(ReadOnlySpan<byte> messageKey, ReadOnlySpan<byte> associatedData, ReadOnlySpan<byte> sealedBody)
    {
        var keyAndNonce = Kdf.Hkdf(messageKey, KdfLabels.ZeroSalt, KdfLabels.Message, KeySize + NonceSize);
        try
        {
            using var key = Key.Import(AeadAlgorithm.ChaCha20Poly1305, keyAndNonce.AsSpan(0, KeySize), KeyBlobFormat.RawSymmetricKey);
            return AeadAlgorithm.ChaCha20Poly1305.Decrypt(key, keyAndNonce.AsSpan(KeySize, NonceSize), associatedData, sealedBody);
        }
        finally
        {
            Kdf.Wipe(keyAndNonce);
        }
    }
}
