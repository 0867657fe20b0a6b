using NSec.Cryptography;

namespace Entice.Crypto.Primitives;

/// <summary>
/// X25519 on raw key bytes, for the ratchet keys and one-time prekeys. They are held as raw 32-byte
/// scalars (wiped when replaced) rather than NSec keys because sessions must be exportable. The raw forms
/// call libsodium directly (<see cref="Libsodium"/>): through NSec each generation, import and agreement put
/// a key or secret in guarded memory of its own (<c>sodium_malloc</c>: mmap and mprotect, then munmap, and
/// with it a TLB flush on every core the process runs on), several per DH ratchet step, and in a
/// conversation that alternates every message takes a DH ratchet step. Same primitive, same bytes: the
/// RFC 7748 vectors and NSec itself are the specs' reference.
/// </summary>
internal static class DiffieHellman
{
    public const int KeySize = 32;

    /// <summary>A fresh key pair: (private scalar, public key). The caller wipes the private scalar.</summary>
    public static (byte[] PrivateKey, byte[] PublicKey) Generate()
    {
        // As NSec's X25519 key creation: 32 bytes from libsodium's CSPRNG (clamped by scalar multiplication).
        var privateKey = new byte[KeySize];
        Libsodium.RandomBytes(privateKey);
        return (privateKey, PublicKeyOf(privateKey));
    }

    /// <summary>The public key of a raw private scalar.</summary>
    public static byte[] PublicKeyOf(ReadOnlySpan<byte> privateKey)
    {
        if (privateKey.Length != KeySize)
            throw new CryptoException("An X25519 private key must be 32 bytes.");
        var publicKey = new byte[KeySize];
        Libsodium.ScalarMultBase(publicKey, privateKey);
        return publicKey;
    }

    /// <summary>DH(private, public); throws <see cref="CryptoException"/> on a malformed, non-canonical or low-order public key, and on an all-zero result.</summary>
    public static byte[] Agree(ReadOnlySpan<byte> privateKey, ReadOnlySpan<byte> publicKey)
    {
        if (privateKey.Length != KeySize)
            throw new CryptoException("An X25519 private key must be 32 bytes.");
        // Refused before any work: a low-order or non-canonical point (PublicKeyCheck).
        if (!PublicKeyCheck.IsUsableX25519(publicKey))
            throw new CryptoException("An X25519 public key is malformed.");
        var shared = new byte[KeySize];
        if (!Libsodium.ScalarMult(shared, privateKey, publicKey))
            throw new CryptoException("Key agreement produced no secret (low-order public key).");
        return shared;
    }

    public static byte[] Agree(Key privateKey, ReadOnlySpan<byte> publicKey)
    {
        // Refused before any work: a low-order or non-canonical point (PublicKeyCheck), then whatever NSec refuses.
        if (!PublicKeyCheck.IsUsableX25519(publicKey)
            || !PublicKey.TryImport(KeyAgreementAlgorithm.X25519, publicKey, KeyBlobFormat.RawPublicKey, out var peer)
            || peer is null)
        {
            throw new CryptoException("An X25519 public key is malformed.");
        }

        // NSec returns null when the result is all zeros, i.e. the peer sent a low-order point.
        using var secret = KeyAgreementAlgorithm.X25519.Agree(
            privateKey, peer, new SharedSecretCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport })
            ?? throw new CryptoException("Key agreement produced no secret (low-order public key).");
        return secret.Export(SharedSecretBlobFormat.RawSharedSecret);
    }
}
