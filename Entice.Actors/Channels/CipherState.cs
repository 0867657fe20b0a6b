using System.Buffers.Binary;
using System.Security.Cryptography;
using Entice.Crypto.Primitives;

namespace Entice.Channels;

/// <summary>
/// Noise CipherState (spec rev 34, §5.1) with ChaChaPoly: a key k and a 64-bit nonce counter n, sent as
/// 32 zero bits then n little-endian. The nonce 2^64-1 is reserved, so the counter refuses it. A failed
/// decryption leaves n unchanged; the channel treats it as fatal anyway.
/// <para>
/// The key is 32 raw bytes in a pinned array (never moved or copied by the GC), zeroed when replaced or
/// disposed, and used through libsodium's ChaCha20-Poly1305 IETF directly (<see cref="Libsodium"/>: the
/// same library and primitive NSec's <c>AeadAlgorithm.ChaCha20Poly1305</c> calls). Not an NSec <c>Key</c>:
/// each of those lives in its own guarded allocation (an mmap, guard pages, mprotect), two per connection,
/// and 10,000 connections would come close to the kernel's vm.max_map_count (65,530) on that alone.
/// </para>
/// </summary>
internal sealed class CipherState : IDisposable
{
    public const int TagSize = Libsodium.AeadTagSize;
    public const int KeySize = Libsodium.AeadKeySize;

    private byte[]? key;

    public bool HasKey => key is not null;

    /// <summary>The next nonce (for specs).</summary>
    public ulong Nonce { get; private set; }

    /// <summary>InitializeKey(k): a new key, n = 0. The caller wipes its copy of <paramref name="k"/>.</summary>
    public void InitializeKey(ReadOnlySpan<byte> k)
    {
        if (k.Length != KeySize)
        {
            throw new ArgumentException("A ChaChaPoly key is 32 bytes.", nameof(k));
        }

        key ??= GC.AllocateArray<byte>(KeySize, pinned: true);
        k.CopyTo(key);
        Nonce = 0;
    }

    /// <summary>EncryptWithAd: the ciphertext (plaintext + 16-byte tag), or the plaintext itself before a key exists.</summary>
    public byte[] EncryptWithAd(ReadOnlySpan<byte> ad, ReadOnlySpan<byte> plaintext)
    {
        if (key is null)
        {
            return plaintext.ToArray();
        }

        var output = new byte[plaintext.Length + TagSize];
        EncryptWithAd(ad, plaintext, output);
        return output;
    }

    /// <summary>
    /// Encrypt into <paramref name="output"/> (exactly plaintext + 16 bytes); a key must exist. The
    /// plaintext may be <paramref name="output"/>'s own first bytes (sealing in place); any other overlap is refused.
    /// </summary>
    public void EncryptWithAd(ReadOnlySpan<byte> ad, ReadOnlySpan<byte> plaintext, Span<byte> output)
    {
        if (key is null)
        {
            throw new InvalidOperationException("No key yet.");
        }

        if (Nonce == ulong.MaxValue)
        {
            throw new CryptoException("The channel has used every nonce; it must be closed.");
        }

        if (plaintext.Overlaps((ReadOnlySpan<byte>)output, out var offset) && offset != 0)
        {
            throw new ArgumentException("The plaintext overlaps the output other than in place.", nameof(output));
        }

        Span<byte> nonce = stackalloc byte[Libsodium.AeadNonceSize];
        WriteNonce(nonce, Nonce);
        Libsodium.AeadEncrypt(output, plaintext, ad, nonce, key);
        Nonce++;
    }

    /// <summary>DecryptWithAd: false (and n unchanged) when the tag does not verify or the nonce is spent.</summary>
    public bool TryDecryptWithAd(ReadOnlySpan<byte> ad, ReadOnlySpan<byte> ciphertext, Span<byte> plaintext)
    {
        if (key is null)
        {
            if (plaintext.Length != ciphertext.Length)
            {
                return false;
            }

            ciphertext.CopyTo(plaintext);
            return true;
        }

        if (ciphertext.Length < TagSize || plaintext.Length != ciphertext.Length - TagSize || Nonce == ulong.MaxValue
            || (ciphertext.Overlaps((ReadOnlySpan<byte>)plaintext, out var offset) && offset != 0))
        {
            return false;
        }

        Span<byte> nonce = stackalloc byte[Libsodium.AeadNonceSize];
        WriteNonce(nonce, Nonce);
        if (!Libsodium.AeadDecrypt(plaintext, ciphertext, ad, nonce, key))
        {
            return false;
        }

        Nonce++;
        return true;
    }

    public void Dispose()
    {
        if (key is not null)
        {
            CryptographicOperations.ZeroMemory(key);
            key = null;
        }
    }

    private static void WriteNonce(Span<byte> nonce, ulong n)
    {
        nonce[..4].Clear();
        BinaryPrimitives.WriteUInt64LittleEndian(nonce[4..], n);
    }
}
