using System.Runtime.InteropServices;
using System.Security.Cryptography;
using NSec.Cryptography;

namespace Entice.Crypto.Primitives;

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

    /// <summary>
    /// HKDF-SHA256 (RFC 5869) with a 32-byte salt, straight into <paramref name="output"/> (at most 64 bytes):
    /// PRK = HMAC(salt, IKM), T(i) = HMAC(PRK, T(i-1) || info || i). The per-ratchet-step form:
    /// libsodium's HMAC on raw key bytes, no heap copies of PRK or T (NSec's HKDF took ~7 µs a call here).
    /// Same bytes as <see cref="Hkdf"/> (checked in the specs).
    /// </summary>
    public static void HkdfInto(ReadOnlySpan<byte> ikm, ReadOnlySpan<byte> salt, ReadOnlySpan<byte> info, Span<byte> output)
    {
        if (salt.Length != HmacKeySize)
        {
            throw new CryptoException("HKDF parameters are out of range.");
        }

        var keyedSalt = MemoryMarshal.AsBytes(stackalloc ulong[(Libsodium.HmacStateSize + 7) / 8])[..Libsodium.HmacStateSize];
        try
        {
            Libsodium.HmacKeyed(keyedSalt, salt);
            HkdfFromKeyedSalt(ikm, keyedSalt, info, output);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(keyedSalt);
        }
    }

    /// <summary>
    /// <see cref="HkdfInto"/> with the all-zero 32-byte salt (<see cref="KdfLabels.ZeroSalt"/>), the per-message
    /// form (every message key becomes key and nonce this way): the HMAC state keyed by the zero salt is a public
    /// constant, computed once, so each call hashes two blocks fewer. Same bytes (checked in the specs).
    /// </summary>
    public static void HkdfZeroSaltInto(ReadOnlySpan<byte> ikm, ReadOnlySpan<byte> info, Span<byte> output) =>
        HkdfFromKeyedSalt(ikm, ZeroSaltState, info, output);

    // HMAC-SHA256 keyed by 32 zero bytes: public (the salt is a constant), so kept, never wiped.
    private static readonly byte[] ZeroSaltState = KeyedZeroSalt();

    private static byte[] KeyedZeroSalt()
    {
        var keyed = MemoryMarshal.AsBytes(stackalloc ulong[(Libsodium.HmacStateSize + 7) / 8])[..Libsodium.HmacStateSize];
        Libsodium.HmacKeyed(keyed, KdfLabels.ZeroSalt);
        return keyed.ToArray();
    }

    private static void HkdfFromKeyedSalt(ReadOnlySpan<byte> ikm, ReadOnlySpan<byte> keyedSalt, ReadOnlySpan<byte> info, Span<byte> output)
    {
        const int MaxInfo = 64;
        if (output.Length is 0 or > 2 * Libsodium.HmacSha256Size || info.Length > MaxInfo)
        {
            throw new CryptoException("HKDF parameters are out of range.");
        }

        Span<byte> prk = stackalloc byte[Libsodium.HmacSha256Size];
        Span<byte> t = stackalloc byte[Libsodium.HmacSha256Size];
        // 8-byte aligned: the state holds 64-bit counters.
        var keyed = MemoryMarshal.AsBytes(stackalloc ulong[(Libsodium.HmacStateSize + 7) / 8])[..Libsodium.HmacStateSize];
        var work = MemoryMarshal.AsBytes(stackalloc ulong[(Libsodium.HmacStateSize + 7) / 8])[..Libsodium.HmacStateSize];
        Span<byte> counter = stackalloc byte[1];
        try
        {
            // PRK = HMAC(salt, IKM), from the state the salt keyed.
            Libsodium.HmacFrom(keyedSalt, work, ikm, [], [], prk);
            Libsodium.HmacKeyed(keyed, prk);
            for (byte i = 1; (i - 1) * Libsodium.HmacSha256Size < output.Length; i++)
            {
                // T(i) = HMAC(PRK, T(i-1) || info || i): the keyed state is reused for every block.
                counter[0] = i;
                Libsodium.HmacFrom(keyed, work, i == 1 ? ReadOnlySpan<byte>.Empty : t, info, counter, t);
                var offset = (i - 1) * Libsodium.HmacSha256Size;
                t[..Math.Min(t.Length, output.Length - offset)].CopyTo(output[offset..]);
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(prk);
            CryptographicOperations.ZeroMemory(t);
            CryptographicOperations.ZeroMemory(keyed);
            CryptographicOperations.ZeroMemory(work);
        }
    }

    /// <summary>
    /// HMAC-SHA256 (RFC 2104) with a 32-byte key: libsodium's <c>crypto_auth_hmacsha256</c> on the raw key.
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

        var result = new byte[Libsodium.HmacSha256Size];
        Libsodium.HmacSha256(result, data, key);
        return result;
    }

    /// <summary>
    /// One symmetric-ratchet step: MK = HMAC(CK, 0x01), CK' = HMAC(CK, 0x02). The caller owns both results
    /// and must zero them, and must forget <paramref name="chainKey"/> once it has CK'.
    /// </summary>
    public static (byte[] MessageKey, byte[] NextChainKey) ChainStep(ReadOnlySpan<byte> chainKey)
    {
        var messageKey = new byte[Libsodium.HmacSha256Size];
        var nextChainKey = new byte[Libsodium.HmacSha256Size];
        ChainStepInto(chainKey, messageKey, nextChainKey);
        return (messageKey, nextChainKey);
    }

    /// <summary>
    /// <see cref="ChainStep"/> into the caller's buffers (32 bytes each; the caller zeroes them), nothing on the
    /// heap. <paramref name="nextChainKey"/> may be <paramref name="chainKey"/> itself (the step in place): the
    /// chain key is read once, into the keyed state, before either output is written.
    /// </summary>
    public static void ChainStepInto(ReadOnlySpan<byte> chainKey, Span<byte> messageKey, Span<byte> nextChainKey)
    {
        if (chainKey.Length != HmacKeySize || messageKey.Length != HmacKeySize || nextChainKey.Length != HmacKeySize)
        {
            throw new CryptoException("HMAC key must be 32 bytes.");
        }

        // One keyed HMAC state for both MACs (the chain key's ipad/opad blocks hashed once, not twice).
        var keyed = MemoryMarshal.AsBytes(stackalloc ulong[(Libsodium.HmacStateSize + 7) / 8])[..Libsodium.HmacStateSize];
        var work = MemoryMarshal.AsBytes(stackalloc ulong[(Libsodium.HmacStateSize + 7) / 8])[..Libsodium.HmacStateSize];
        try
        {
            Libsodium.HmacKeyed(keyed, chainKey);
            Libsodium.HmacFrom(keyed, work, MessageKeyConstant, [], [], messageKey);
            Libsodium.HmacFrom(keyed, work, ChainKeyConstant, [], [], nextChainKey);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(keyed);
            CryptographicOperations.ZeroMemory(work);
        }
    }

    /// <summary>
    /// Steps <paramref name="chainKey"/> (at <paramref name="index"/>) forward until <paramref name="index"/> reaches
    /// <paramref name="target"/>, wiping every message key on the way and every chain key but the one returned
    /// (<paramref name="chainKey"/> itself once a step is taken; it is returned untouched when none is).
    /// </summary>
    public static byte[] StepChainTo(byte[] chainKey, ref uint index, uint target)
    {
        var chain = chainKey;
        while (index < target)
        {
            var (messageKey, next) = ChainStep(chain);
            Wipe(messageKey);
            Wipe(chain);
            chain = next;
            index++;
        }

        return chain;
    }

    /// <summary>
    /// One DH-ratchet step of the root chain: RK' || CK = HKDF(ikm = DH output, salt = RK,
    /// info = "Entice/v1/rk", 64). The caller owns both results and must forget the old root key.
    /// </summary>
    public static (byte[] RootKey, byte[] ChainKey) RootStep(ReadOnlySpan<byte> rootKey, ReadOnlySpan<byte> dhOutput)
    {
        Span<byte> both = stackalloc byte[2 * HmacKeySize];
        try
        {
            HkdfInto(dhOutput, rootKey, KdfLabels.Root, both);
            return (both[..HmacKeySize].ToArray(), both[HmacKeySize..].ToArray());
        }
        finally
        {
            CryptographicOperations.ZeroMemory(both);
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
