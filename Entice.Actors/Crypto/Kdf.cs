using System.Security.Cryptography;
using NSec.Cryptography;

namespace Entice.Crypto;

/// <summary>The key-derivation building blocks: HKDF-SHA256, HMAC-SHA256 and the symmetric chain step.</summary>
public static class Kdf
{
    /// <summary>The HMAC key size NSec accepts for HMAC-SHA256; every chain key in the protocol has it.</summary>
    public const int HmacKeySize = 32;

    private static readonly byte[] MessageKeyConstant = [0x01];
    private static readonly byte[] ChainKeyConstant = [0x02];

    /// <summary>HKDF-SHA256 (RFC 5869): extract with <paramref name="salt"/>, expand with <paramref name="info"/>.</summary>
    public static byte[] Hkdf(ReadOnlySpan<byte> ikm, ReadOnlySpan<byte> salt, ReadOnlySpan<byte> info, int length)
    {
        if (length <= 0 || length > KeyDerivationAlgorithm.HkdfSha256.MaxCount)
        {
            throw new CryptoException("HKDF output length is out of range.");
        }

        return KeyDerivationAlgorithm.HkdfSha256.DeriveBytes(ikm, salt, info, length);
    }

    /// <summary>HMAC-SHA256 with a 32-byte key (NSec accepts no other size, and the protocol needs none).</summary>
    public static byte[] Hmac(ReadOnlySpan<byte> key, ReadOnlySpan<byte> data)
    {
        if (key.Length != HmacKeySize)
        {
            throw new CryptoException("HMAC key must be 32 bytes.");
        }

        using var macKey = Key.Import(MacAlgorithm.HmacSha256, key, KeyBlobFormat.RawSymmetricKey);
        return MacAlgorithm.HmacSha256.Mac(macKey, data);
    }

    /// <summary>
    /// One symmetric-ratchet step: MK = HMAC(CK, 0x01), CK' = HMAC(CK, 0x02). The caller owns both results
    /// and must zero them, and must forget <paramref name="chainKey"/> once it has CK'.
    /// </summary>
    public static (byte[] MessageKey, byte[] NextChainKey) ChainStep(ReadOnlySpan<byte> chainKey)
    {
        var messageKey = Hmac(chainKey, MessageKeyConstant);
        var nextChainKey = Hmac(chainKey, ChainKeyConstant);
        return (messageKey, nextChainKey);
    }

    /// <summary>
    /// One DH-ratchet step of the root chain: RK' || CK = HKDF(ikm = DH output, salt = RK,
    /// info = "Entice/v1/rk", 64). The caller owns both results and must forget the old root key.
    /// </summary>
    public static (byte[] RootKey, byte[] ChainKey) RootStep(ReadOnlySpan<byte> rootKey, ReadOnlySpan<byte> dhOutput)
    {
        var both = Hkdf(dhOutput, rootKey, KdfLabels.Root, 2 * HmacKeySize);
        try
        {
            return (both[..HmacKeySize], both[HmacKeySize..]);
        }
        finally
        {
            Wipe(both);
        }
    }

    /// <summary>Zero a secret buffer; null-tolerant so cleanup paths stay short.</summary>
    internal static void Wipe(byte[]? secret)
    {
        if (secret is not null)
        {
            CryptographicOperations.ZeroMemory(secret);
        }
    }
}
