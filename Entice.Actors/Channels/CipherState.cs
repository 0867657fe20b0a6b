using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Entice.Crypto.Primitives;

namespace Entice.Channels;

/// <summary>
/// Noise CipherState (spec rev 34, §5.1) with ChaChaPoly or AESGCM (§12.3, §12.4): a key k and a 64-bit
/// nonce counter n. The 96-bit nonce is 32 zero bits then n, little-endian for ChaChaPoly and big-endian
/// for AESGCM. The nonce 2^64-1 is reserved, so the counter refuses it. A failed decryption leaves n
/// unchanged; the channel treats it as fatal anyway.
/// <para>
/// The key is kept in a pinned array (never moved or copied by the GC), zeroed when replaced or disposed,
/// and used through libsodium directly (<see cref="Libsodium"/>: the same library NSec calls). ChaChaPoly
/// keeps the 32 raw bytes; AESGCM keeps libsodium's precomputed state (expanded key and GHASH powers,
/// 16-byte aligned inside the array), so no record pays the key schedule. Not an NSec <c>Key</c>: each of
/// those lives in its own guarded allocation (an mmap, guard pages, mprotect), two per connection, and
/// 10,000 connections would come close to the kernel's vm.max_map_count (65,530) on that alone.
/// </para>
/// </summary>
internal sealed class CipherState : IDisposable
{
    public const int TagSize = Libsodium.AeadTagSize;
    public const int KeySize = Libsodium.AeadKeySize;

    private readonly ChannelSuite suite;
    private byte[]? key;  // ChaChaPoly: the raw key; AESGCM: the state, from stateOffset on
    private int stateOffset;

    public CipherState(ChannelSuite suite = ChannelSuite.ChaChaPoly)
    {
        if (suite is not (ChannelSuite.ChaChaPoly or ChannelSuite.AesGcm))
        {
            throw new ArgumentOutOfRangeException(nameof(suite), suite, "not a channel suite");
        }

        this.suite = suite;
    }

    public ChannelSuite Suite => suite;

    public bool HasKey => key is not null;

    /// <summary>The next nonce (for specs).</summary>
    public ulong Nonce { get; private set; }

    /// <summary>InitializeKey(k): a new key, n = 0. The caller wipes its copy of <paramref name="k"/>.</summary>
    public void InitializeKey(ReadOnlySpan<byte> k)
    {
        if (k.Length != KeySize)
        {
            throw new ArgumentException("A cipher key is 32 bytes.", nameof(k));
        }

        if (suite == ChannelSuite.ChaChaPoly)
        {
            key ??= GC.AllocateArray<byte>(KeySize, pinned: true);
            k.CopyTo(key);
        }
        else
        {
            if (key is null)
            {
                key = GC.AllocateArray<byte>(Libsodium.Aes256GcmStateSize + Libsodium.Aes256GcmStateAlignment, pinned: true);
                var address = Marshal.UnsafeAddrOfPinnedArrayElement(key, 0);
                stateOffset = (int)((Libsodium.Aes256GcmStateAlignment - (address % Libsodium.Aes256GcmStateAlignment)) % Libsodium.Aes256GcmStateAlignment);
            }

            Libsodium.Aes256GcmBeforeNm(AesState, k);
        }

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
        if (suite == ChannelSuite.ChaChaPoly)
        {
            Libsodium.AeadEncrypt(output, plaintext, ad, nonce, key);
        }
        else
        {
            Libsodium.Aes256GcmEncrypt(output, plaintext, ad, nonce, AesState);
        }

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
        var opened = suite == ChannelSuite.ChaChaPoly
            ? Libsodium.AeadDecrypt(plaintext, ciphertext, ad, nonce, key)
            : Libsodium.Aes256GcmDecrypt(plaintext, ciphertext, ad, nonce, AesState);
        if (!opened)
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

    private Span<byte> AesState => key.AsSpan(stateOffset, Libsodium.Aes256GcmStateSize);

    // ChaChaPoly (§12.3): 32 zero bits, then n little-endian. AESGCM (§12.4): 32 zero bits, then n big-endian.
    private void WriteNonce(Span<byte> nonce, ulong n)
    {
        nonce[..4].Clear();
        if (suite == ChannelSuite.ChaChaPoly)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(nonce[4..], n);
        }
        else
        {
            BinaryPrimitives.WriteUInt64BigEndian(nonce[4..], n);
        }
    }
}
