using System.Buffers.Binary;
using Entice.Crypto.Primitives;
using NSec.Cryptography;

namespace Entice.Channels;

/// <summary>
/// Noise CipherState (spec rev 34, §5.1) with ChaChaPoly: a key k (an NSec key, imported once) and a
/// 64-bit nonce counter n, sent as 32 zero bits then n little-endian. The nonce 2^64-1 is reserved, so
/// the counter refuses it. A failed decryption leaves n unchanged; the channel treats it as fatal anyway.
/// </summary>
internal sealed class CipherState : IDisposable
{
    public const int TagSize = 16;
    public const int KeySize = 32;

    private static readonly AeadAlgorithm Aead = AeadAlgorithm.ChaCha20Poly1305;
    private Key? key;

    public bool HasKey => key is not null;

    /// <summary>The next nonce (for specs).</summary>
    public ulong Nonce { get; private set; }

    /// <summary>InitializeKey(k): a new key, n = 0. The caller wipes its copy of <paramref name="k"/>.</summary>
    public void InitializeKey(ReadOnlySpan<byte> k)
    {
        key?.Dispose();
        key = Key.Import(Aead, k, KeyBlobFormat.RawSymmetricKey);
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

    /// <summary>Encrypt into <paramref name="output"/> (exactly plaintext + 16 bytes); a key must exist.</summary>
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

        Span<byte> nonce = stackalloc byte[12];
        WriteNonce(nonce, Nonce);
        Aead.Encrypt(key, nonce, ad, plaintext, output);
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

        if (ciphertext.Length < TagSize || plaintext.Length != ciphertext.Length - TagSize || Nonce == ulong.MaxValue)
        {
            return false;
        }

        Span<byte> nonce = stackalloc byte[12];
        WriteNonce(nonce, Nonce);
        if (!Aead.Decrypt(key, nonce, ad, ciphertext, plaintext))
        {
            return false;
        }

        Nonce++;
        return true;
    }

    public void Dispose()
    {
        key?.Dispose();
        key = null;
    }

    private static void WriteNonce(Span<byte> nonce, ulong n)
    {
        nonce[..4].Clear();
        BinaryPrimitives.WriteUInt64LittleEndian(nonce[4..], n);
    }
}
