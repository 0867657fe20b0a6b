using System.Security.Cryptography;
using NSec.Cryptography;

namespace Entice.Crypto.Primitives;

/// <summary>The key-derivation building blocks: HKDF-SHA256, HMAC-SHA256 and the symmetric chain step.</summary>
public static class Kdf
{
    /// <summary>The HMAC key size NSec accepts for HMAC-SHA256; every chain key in the protocol has it.</summary>
    public const int HmacKeySize = 32;

    private const int HmacBlockSize = 64;
    private const int HmacSize = 32;

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

    /// <summary>
    /// HMAC-SHA256 (RFC 2104) with a 32-byte key, built on NSec's SHA-256: H((K ^ opad) || H((K ^ ipad) || data)).
    /// NSec's MacAlgorithm needs a Key object, and importing one allocates guarded secure memory (several
    /// system calls) for every chain step; a forged header could ask for hundreds of steps. Checked against
    /// MacAlgorithm.HmacSha256 and RFC 4231 in the specs.
    /// </summary>
    public static byte[] Hmac(ReadOnlySpan<byte> key, ReadOnlySpan<byte> data)
    {
        if (key.Length != HmacKeySize)
        {
            throw new CryptoException("HMAC key must be 32 bytes.");
        }

        var inner = new byte[HmacBlockSize + data.Length];
        Span<byte> outer = stackalloc byte[HmacBlockSize + HmacSize];
        var result = new byte[HmacSize];
        try
        {
            for (var i = 0; i < HmacBlockSize; i++)
            {
                var k = i < key.Length ? key[i] : (byte)0;
                inner[i] = (byte)(k ^ 0x36);
                outer[i] = (byte)(k ^ 0x5C);
            }

            data.CopyTo(inner.AsSpan(HmacBlockSize));
            NSec.Cryptography.HashAlgorithm.Sha256.Hash(inner, outer[HmacBlockSize..]);
            NSec.Cryptography.HashAlgorithm.Sha256.Hash(outer, result);
            return result;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(inner);
            CryptographicOperations.ZeroMemory(outer);
        }
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
