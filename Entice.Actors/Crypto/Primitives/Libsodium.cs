using System.Runtime.InteropServices;

namespace Entice.Crypto.Primitives;

/// <summary>
/// The libsodium functions the per-message path calls with raw key bytes: ChaCha20-Poly1305 (IETF), AES256-GCM
/// (the channel's second suite, on CPUs that have it), HMAC-SHA256, Ed25519 and X25519 (the ratchet's DH steps). The same native library NSec loads (the <c>libsodium</c> package), the same primitives NSec's
/// <c>AeadAlgorithm.ChaCha20Poly1305</c> and <c>MacAlgorithm.HmacSha256</c> call. Why not through NSec: NSec
/// takes keys only as <c>Key</c> objects, each imported into guarded memory (<c>sodium_malloc</c>: mmap,
/// mprotect, munmap), and a message key is used exactly once, so every message paid two imports (issue 17:
/// most of 128 µs per encrypt + decrypt). Here the key lives in a caller's buffer that is zeroed after use.
/// Known-answer specs pin the bytes against NSec and RFC 8439 / RFC 4231.
/// </summary>
internal static class Libsodium
{
    private const string Library = "libsodium";

    public const int AeadKeySize = 32;
    public const int AeadNonceSize = 12;
    public const int AeadTagSize = 16;
    public const int HmacSha256KeySize = 32;
    public const int HmacSha256Size = 32;

    static Libsodium()
    {
        // NSec initialises the library too; sodium_init is idempotent (0 first time, 1 after) and -1 on failure.
        if (sodium_init() < 0)
            throw new InvalidOperationException("libsodium could not be initialised.");
    }

    /// <summary>ChaCha20-Poly1305 (IETF): <paramref name="ciphertext"/> gets plaintext length + 16 bytes.</summary>
    public static void AeadEncrypt(Span<byte> ciphertext, ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> associatedData,
        ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> key)
    {
        if (key.Length != AeadKeySize || nonce.Length != AeadNonceSize || ciphertext.Length != plaintext.Length + AeadTagSize)
            throw new CryptoException("Bad AEAD key, nonce or buffer size.");
        var result = crypto_aead_chacha20poly1305_ietf_encrypt(
            ref MemoryMarshal.GetReference(ciphertext), out _,
            ref MemoryMarshal.GetReference(plaintext), (ulong)plaintext.Length,
            ref MemoryMarshal.GetReference(associatedData), (ulong)associatedData.Length,
            IntPtr.Zero,
            ref MemoryMarshal.GetReference(nonce), ref MemoryMarshal.GetReference(key));
        if (result != 0)
            throw new CryptoException("Encryption failed.");
    }

    /// <summary>False (and <paramref name="plaintext"/> zeroed) when the tag does not verify.</summary>
    public static bool AeadDecrypt(Span<byte> plaintext, ReadOnlySpan<byte> ciphertext, ReadOnlySpan<byte> associatedData,
        ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> key)
    {
        if (key.Length != AeadKeySize || nonce.Length != AeadNonceSize || ciphertext.Length < AeadTagSize
            || plaintext.Length != ciphertext.Length - AeadTagSize)
            throw new CryptoException("Bad AEAD key, nonce or buffer size.");
        var result = crypto_aead_chacha20poly1305_ietf_decrypt(
            ref MemoryMarshal.GetReference(plaintext), out _,
            IntPtr.Zero,
            ref MemoryMarshal.GetReference(ciphertext), (ulong)ciphertext.Length,
            ref MemoryMarshal.GetReference(associatedData), (ulong)associatedData.Length,
            ref MemoryMarshal.GetReference(nonce), ref MemoryMarshal.GetReference(key));
        if (result == 0)
            return true;
        plaintext.Clear();
        return false;
    }

    /// <summary>HMAC-SHA256 with a 32-byte key.</summary>
    public static void HmacSha256(Span<byte> mac, ReadOnlySpan<byte> data, ReadOnlySpan<byte> key)
    {
        if (key.Length != HmacSha256KeySize || mac.Length != HmacSha256Size)
            throw new CryptoException("HMAC key must be 32 bytes.");
        if (crypto_auth_hmacsha256(ref MemoryMarshal.GetReference(mac), ref MemoryMarshal.GetReference(data), (ulong)data.Length,
                ref MemoryMarshal.GetReference(key)) != 0)
            throw new CryptoException("HMAC failed.");
    }

    /// <summary>Bytes of libsodium's HMAC-SHA256 state (two SHA-256 states), for <see cref="HmacKeyed"/>.</summary>
    public static readonly int HmacStateSize = checked((int)crypto_auth_hmacsha256_statebytes());

    /// <summary>
    /// Keys an HMAC-SHA256 state (the ipad and opad blocks hashed once) into <paramref name="state"/>, so that several
    /// MACs under one key (a chain step's two, an HKDF expand's blocks) each cost two compressions less. The state is
    /// secret: the caller zeroes it.
    /// </summary>
    public static void HmacKeyed(Span<byte> state, ReadOnlySpan<byte> key)
    {
        if (state.Length != HmacStateSize || key.Length != HmacSha256KeySize)
            throw new CryptoException("Bad HMAC state or key size.");
        if (crypto_auth_hmacsha256_init(ref MemoryMarshal.GetReference(state), ref MemoryMarshal.GetReference(key), (UIntPtr)key.Length) != 0)
            throw new CryptoException("HMAC failed.");
    }

    /// <summary>HMAC(key, first || second || third) from a keyed state (left as it was); <paramref name="work"/> is scratch of the state's size, zeroed by libsodium.</summary>
    public static void HmacFrom(ReadOnlySpan<byte> keyed, Span<byte> work, ReadOnlySpan<byte> first, ReadOnlySpan<byte> second, ReadOnlySpan<byte> third, Span<byte> mac)
    {
        if (keyed.Length != HmacStateSize || work.Length != HmacStateSize || mac.Length != HmacSha256Size)
            throw new CryptoException("Bad HMAC state size.");
        keyed.CopyTo(work);
        ref var state = ref MemoryMarshal.GetReference(work);
        if ((!first.IsEmpty && crypto_auth_hmacsha256_update(ref state, ref MemoryMarshal.GetReference(first), (ulong)first.Length) != 0)
            || (!second.IsEmpty && crypto_auth_hmacsha256_update(ref state, ref MemoryMarshal.GetReference(second), (ulong)second.Length) != 0)
            || (!third.IsEmpty && crypto_auth_hmacsha256_update(ref state, ref MemoryMarshal.GetReference(third), (ulong)third.Length) != 0)
            || crypto_auth_hmacsha256_final(ref state, ref MemoryMarshal.GetReference(mac)) != 0)
            throw new CryptoException("HMAC failed.");
    }

    /// <summary>
    /// True when this CPU runs libsodium's AES256-GCM (x86-64 with AES-NI and PCLMULQDQ, or ARMv8 with the crypto
    /// extensions); libsodium has no portable fallback for it, so a node without it cannot use that AEAD at all.
    /// </summary>
    public static bool Aes256GcmIsAvailable => crypto_aead_aes256gcm_is_available() == 1;

    /// <summary>Bytes of libsodium's precomputed AES256-GCM state (the expanded key and GHASH powers of H): secret.</summary>
    public static readonly int Aes256GcmStateSize = checked((int)crypto_aead_aes256gcm_statebytes());

    /// <summary>The alignment libsodium's AES256-GCM state needs (CRYPTO_ALIGN(16) in its header).</summary>
    public const int Aes256GcmStateAlignment = 16;

    /// <summary>
    /// Expands a 32-byte AES-256 key into <paramref name="state"/> (<see cref="Aes256GcmStateSize"/> bytes, 16-byte
    /// aligned, in memory that does not move): every record under that key then skips the key schedule. The caller zeroes the state.
    /// </summary>
    public static void Aes256GcmBeforeNm(Span<byte> state, ReadOnlySpan<byte> key)
    {
        if (state.Length != Aes256GcmStateSize || key.Length != AeadKeySize)
            throw new CryptoException("Bad AES-GCM state or key size.");
        if (!Aes256GcmIsAvailable)
            throw new CryptoException("This CPU cannot run AES-GCM (no AES-NI and PCLMULQDQ).");
        if (crypto_aead_aes256gcm_beforenm(ref MemoryMarshal.GetReference(state), ref MemoryMarshal.GetReference(key)) != 0)
            throw new CryptoException("AES-GCM key expansion failed.");
    }

    /// <summary>AES256-GCM under a precomputed state: <paramref name="ciphertext"/> gets plaintext length + 16 bytes.</summary>
    public static void Aes256GcmEncrypt(Span<byte> ciphertext, ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> associatedData,
        ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> state)
    {
        if (state.Length != Aes256GcmStateSize || nonce.Length != AeadNonceSize || ciphertext.Length != plaintext.Length + AeadTagSize)
            throw new CryptoException("Bad AEAD state, nonce or buffer size.");
        var result = crypto_aead_aes256gcm_encrypt_afternm(
            ref MemoryMarshal.GetReference(ciphertext), out _,
            ref MemoryMarshal.GetReference(plaintext), (ulong)plaintext.Length,
            ref MemoryMarshal.GetReference(associatedData), (ulong)associatedData.Length,
            IntPtr.Zero,
            ref MemoryMarshal.GetReference(nonce), ref MemoryMarshal.GetReference(state));
        if (result != 0)
            throw new CryptoException("Encryption failed.");
    }

    /// <summary>False (and <paramref name="plaintext"/> zeroed) when the tag does not verify.</summary>
    public static bool Aes256GcmDecrypt(Span<byte> plaintext, ReadOnlySpan<byte> ciphertext, ReadOnlySpan<byte> associatedData,
        ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> state)
    {
        if (state.Length != Aes256GcmStateSize || nonce.Length != AeadNonceSize || ciphertext.Length < AeadTagSize
            || plaintext.Length != ciphertext.Length - AeadTagSize)
            throw new CryptoException("Bad AEAD state, nonce or buffer size.");
        var result = crypto_aead_aes256gcm_decrypt_afternm(
            ref MemoryMarshal.GetReference(plaintext), out _,
            IntPtr.Zero,
            ref MemoryMarshal.GetReference(ciphertext), (ulong)ciphertext.Length,
            ref MemoryMarshal.GetReference(associatedData), (ulong)associatedData.Length,
            ref MemoryMarshal.GetReference(nonce), ref MemoryMarshal.GetReference(state));
        if (result == 0)
            return true;
        plaintext.Clear();
        return false;
    }

    public const int SignSeedSize = 32;
    public const int SignSecretKeySize = 64;
    public const int SignPublicKeySize = 32;
    public const int SignatureSize = 64;

    /// <summary>
    /// An Ed25519 key pair from a 32-byte seed (RFC 8032): <paramref name="secretKey"/> gets libsodium's 64-byte
    /// form (seed || public key), which the caller keeps pinned and zeroes.
    /// </summary>
    public static void SignSeedKeyPair(Span<byte> publicKey, Span<byte> secretKey, ReadOnlySpan<byte> seed)
    {
        if (seed.Length != SignSeedSize || secretKey.Length != SignSecretKeySize || publicKey.Length != SignPublicKeySize)
            throw new CryptoException("Bad Ed25519 seed or key size.");
        if (crypto_sign_seed_keypair(ref MemoryMarshal.GetReference(publicKey), ref MemoryMarshal.GetReference(secretKey), ref MemoryMarshal.GetReference(seed)) != 0)
            throw new CryptoException("Ed25519 key pair failed.");
    }

    /// <summary>Ed25519 signature of <paramref name="message"/> with libsodium's 64-byte secret key (no key import).</summary>
    public static void SignDetached(Span<byte> signature, ReadOnlySpan<byte> message, ReadOnlySpan<byte> secretKey)
    {
        if (signature.Length != SignatureSize || secretKey.Length != SignSecretKeySize)
            throw new CryptoException("Bad Ed25519 signature or key size.");
        if (crypto_sign_detached(ref MemoryMarshal.GetReference(signature), out _, ref MemoryMarshal.GetReference(message), (ulong)message.Length,
                ref MemoryMarshal.GetReference(secretKey)) != 0)
            throw new CryptoException("Ed25519 signing failed.");
    }

    /// <summary>True when <paramref name="signature"/> is a valid Ed25519 signature of <paramref name="message"/> (libsodium's strict checks).</summary>
    public static bool VerifyDetached(ReadOnlySpan<byte> signature, ReadOnlySpan<byte> message, ReadOnlySpan<byte> publicKey)
    {
        if (signature.Length != SignatureSize || publicKey.Length != SignPublicKeySize)
            return false;
        return crypto_sign_verify_detached(ref MemoryMarshal.GetReference(signature), ref MemoryMarshal.GetReference(message), (ulong)message.Length,
            ref MemoryMarshal.GetReference(publicKey)) == 0;
    }

    public const int ScalarMultSize = 32;

    /// <summary>
    /// X25519 (RFC 7748) of a raw 32-byte scalar and a peer's public key into <paramref name="shared"/>; false when
    /// the result is all zeros (libsodium's check: a low-order point), and <paramref name="shared"/> is then zeroed.
    /// </summary>
    public static bool ScalarMult(Span<byte> shared, ReadOnlySpan<byte> scalar, ReadOnlySpan<byte> publicKey)
    {
        if (shared.Length != ScalarMultSize || scalar.Length != ScalarMultSize || publicKey.Length != ScalarMultSize)
            throw new CryptoException("Bad X25519 key size.");
        if (crypto_scalarmult_curve25519(ref MemoryMarshal.GetReference(shared), ref MemoryMarshal.GetReference(scalar),
                ref MemoryMarshal.GetReference(publicKey)) == 0)
            return true;
        shared.Clear();
        return false;
    }

    /// <summary>The X25519 public key of a raw 32-byte scalar.</summary>
    public static void ScalarMultBase(Span<byte> publicKey, ReadOnlySpan<byte> scalar)
    {
        if (publicKey.Length != ScalarMultSize || scalar.Length != ScalarMultSize)
            throw new CryptoException("Bad X25519 key size.");
        if (crypto_scalarmult_curve25519_base(ref MemoryMarshal.GetReference(publicKey), ref MemoryMarshal.GetReference(scalar)) != 0)
            throw new CryptoException("X25519 public key derivation failed.");
    }

    /// <summary>Fills <paramref name="buffer"/> from libsodium's CSPRNG (the one NSec's key generation uses).</summary>
    public static void RandomBytes(Span<byte> buffer) =>
        randombytes_buf(ref MemoryMarshal.GetReference(buffer), (UIntPtr)buffer.Length);

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
    private static extern int crypto_scalarmult_curve25519(ref byte q, ref byte n, ref byte p);

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
    private static extern int crypto_scalarmult_curve25519_base(ref byte q, ref byte n);

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
    private static extern void randombytes_buf(ref byte buf, UIntPtr size);

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
    private static extern int crypto_sign_seed_keypair(ref byte pk, ref byte sk, ref byte seed);

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
    private static extern int crypto_sign_detached(ref byte sig, out ulong siglen, ref byte m, ulong mlen, ref byte sk);

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
    private static extern int crypto_sign_verify_detached(ref byte sig, ref byte m, ulong mlen, ref byte pk);

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
    private static extern UIntPtr crypto_auth_hmacsha256_statebytes();

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
    private static extern int crypto_auth_hmacsha256_init(ref byte state, ref byte key, UIntPtr keylen);

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
    private static extern int crypto_auth_hmacsha256_update(ref byte state, ref byte input, ulong inlen);

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
    private static extern int crypto_auth_hmacsha256_final(ref byte state, ref byte output);

    // Empty spans give a null reference; libsodium accepts a null pointer for a zero length.
    [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
    private static extern int sodium_init();

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
    private static extern int crypto_aead_chacha20poly1305_ietf_encrypt(
        ref byte c, out ulong clen, ref byte m, ulong mlen, ref byte ad, ulong adlen, IntPtr nsec, ref byte npub, ref byte k);

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
    private static extern int crypto_aead_chacha20poly1305_ietf_decrypt(
        ref byte m, out ulong mlen, IntPtr nsec, ref byte c, ulong clen, ref byte ad, ulong adlen, ref byte npub, ref byte k);

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
    private static extern int crypto_aead_aes256gcm_is_available();

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
    private static extern UIntPtr crypto_aead_aes256gcm_statebytes();

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
    private static extern int crypto_aead_aes256gcm_beforenm(ref byte state, ref byte k);

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
    private static extern int crypto_aead_aes256gcm_encrypt_afternm(
        ref byte c, out ulong clen, ref byte m, ulong mlen, ref byte ad, ulong adlen, IntPtr nsec, ref byte npub, ref byte state);

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
    private static extern int crypto_aead_aes256gcm_decrypt_afternm(
        ref byte m, out ulong mlen, IntPtr nsec, ref byte c, ulong clen, ref byte ad, ulong adlen, ref byte npub, ref byte state);

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
    private static extern int crypto_auth_hmacsha256(ref byte output, ref byte input, ulong inlen, ref byte k);
}
