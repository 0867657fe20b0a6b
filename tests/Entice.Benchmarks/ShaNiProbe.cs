using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Entice.Benchmarks;

/// <summary>
/// Measurement only, not product code (issue 17): what an HMAC-SHA256 chain step would cost on OpenSSL's
/// SHA-256 (SHA-NI on this CPU) through its low-level API, whose context is a plain struct, so the keyed
/// ipad/opad midstates can be copied like libsodium's. The project's rule is NSec/libsodium primitives only,
/// and .NET's own APIs add ~0.4 µs a call (SHA256.HashData, HMACSHA256.HashData), so this is the figure for a
/// decision, checked against <c>Kdf.ChainStep</c> for the same bytes.
/// </summary>
internal static class ShaNiProbe
{
    private const int ContextSize = 112; // SHA256_CTX: h[8], Nl, Nh, data[16], num, md_len

    public static void ChainStep(ReadOnlySpan<byte> chainKey, Span<byte> messageKey, Span<byte> nextChainKey)
    {
        Span<byte> inner = stackalloc byte[ContextSize];
        Span<byte> outer = stackalloc byte[ContextSize];
        Span<byte> work = stackalloc byte[ContextSize];
        Span<byte> pad = stackalloc byte[64];
        Span<byte> digest = stackalloc byte[32];
        ReadOnlySpan<byte> one = [1];
        ReadOnlySpan<byte> two = [2];
        try
        {
            pad.Fill(0x36);
            for (var i = 0; i < chainKey.Length; i++)
                pad[i] ^= chainKey[i];
            _ = SHA256_Init(ref MemoryMarshal.GetReference(inner));
            _ = SHA256_Update(ref MemoryMarshal.GetReference(inner), ref MemoryMarshal.GetReference(pad), 64);
            pad.Fill(0x5c);
            for (var i = 0; i < chainKey.Length; i++)
                pad[i] ^= chainKey[i];
            _ = SHA256_Init(ref MemoryMarshal.GetReference(outer));
            _ = SHA256_Update(ref MemoryMarshal.GetReference(outer), ref MemoryMarshal.GetReference(pad), 64);
            Mac(inner, outer, work, digest, one, messageKey);
            Mac(inner, outer, work, digest, two, nextChainKey);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(inner);
            CryptographicOperations.ZeroMemory(outer);
            CryptographicOperations.ZeroMemory(work);
            CryptographicOperations.ZeroMemory(pad);
            CryptographicOperations.ZeroMemory(digest);
        }
    }

    /// <summary>HKDF-SHA256 with the 32-byte zero salt into <paramref name="output"/> (≤ 64 bytes), as <c>Kdf.HkdfZeroSaltInto</c>.</summary>
    public static void HkdfZeroSalt(ReadOnlySpan<byte> ikm, ReadOnlySpan<byte> info, Span<byte> output)
    {
        Span<byte> inner = stackalloc byte[ContextSize];
        Span<byte> outer = stackalloc byte[ContextSize];
        Span<byte> work = stackalloc byte[ContextSize];
        Span<byte> prk = stackalloc byte[32];
        Span<byte> digest = stackalloc byte[32];
        Span<byte> t = stackalloc byte[32 + 64 + 1];
        try
        {
            Key(ZeroKey, inner, outer);
            Mac(inner, outer, work, digest, ikm, prk);
            Key(prk, inner, outer);
            var previous = 0;
            for (byte i = 1; (i - 1) * 32 < output.Length; i++)
            {
                info.CopyTo(t[previous..]);
                t[previous + info.Length] = i;
                Mac(inner, outer, work, digest, t[..(previous + info.Length + 1)], t[..32]);
                var offset = (i - 1) * 32;
                t[..Math.Min(32, output.Length - offset)].CopyTo(output[offset..]);
                previous = 32;
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(inner);
            CryptographicOperations.ZeroMemory(outer);
            CryptographicOperations.ZeroMemory(work);
            CryptographicOperations.ZeroMemory(prk);
            CryptographicOperations.ZeroMemory(digest);
            CryptographicOperations.ZeroMemory(t);
        }
    }

    private static readonly byte[] ZeroKey = new byte[32];

    private static void Key(ReadOnlySpan<byte> key, Span<byte> inner, Span<byte> outer)
    {
        Span<byte> pad = stackalloc byte[64];
        pad.Fill(0x36);
        for (var i = 0; i < key.Length; i++)
            pad[i] ^= key[i];
        _ = SHA256_Init(ref MemoryMarshal.GetReference(inner));
        _ = SHA256_Update(ref MemoryMarshal.GetReference(inner), ref MemoryMarshal.GetReference(pad), 64);
        pad.Fill(0x5c);
        for (var i = 0; i < key.Length; i++)
            pad[i] ^= key[i];
        _ = SHA256_Init(ref MemoryMarshal.GetReference(outer));
        _ = SHA256_Update(ref MemoryMarshal.GetReference(outer), ref MemoryMarshal.GetReference(pad), 64);
        CryptographicOperations.ZeroMemory(pad);
    }

    private static void Mac(ReadOnlySpan<byte> inner, ReadOnlySpan<byte> outer, Span<byte> work, Span<byte> digest, ReadOnlySpan<byte> data, Span<byte> mac)
    {
        inner.CopyTo(work);
        _ = SHA256_Update(ref MemoryMarshal.GetReference(work), ref MemoryMarshal.GetReference(data), (nuint)data.Length);
        _ = SHA256_Final(ref MemoryMarshal.GetReference(digest), ref MemoryMarshal.GetReference(work));
        outer.CopyTo(work);
        _ = SHA256_Update(ref MemoryMarshal.GetReference(work), ref MemoryMarshal.GetReference(digest), 32);
        _ = SHA256_Final(ref MemoryMarshal.GetReference(mac), ref MemoryMarshal.GetReference(work));
    }

    [DllImport("libcrypto.so.3")]
    private static extern int SHA256_Init(ref byte context);

    [DllImport("libcrypto.so.3")]
    private static extern int SHA256_Update(ref byte context, ref byte data, nuint length);

    [DllImport("libcrypto.so.3")]
    private static extern int SHA256_Final(ref byte digest, ref byte context);
}
