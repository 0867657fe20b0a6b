using NSec.Cryptography;

namespace Entice.Crypto.Primitives;

/// <summary>
/// X25519 on raw key bytes, for the ratchet keys and one-time prekeys. They are held as raw 32-byte
/// scalars (wiped when replaced) rather than NSec keys because sessions must be exportable, and importing
/// a scalar for each agreement is cheap next to the agreement itself.
/// </summary>
internal static class DiffieHellman
{
    public const int KeySize = 32;

    /// <summary>A fresh key pair: (private scalar, public key). The caller wipes the private scalar.</summary>
    public static (byte[] PrivateKey, byte[] PublicKey) Generate()
    {
        using var key = Key.Create(KeyAgreementAlgorithm.X25519, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport });
        return (key.Export(KeyBlobFormat.RawPrivateKey), key.PublicKey.Export(KeyBlobFormat.RawPublicKey));
    }

    /// <summary>The public key of a raw private scalar.</summary>
    public static byte[] PublicKeyOf(ReadOnlySpan<byte> privateKey)
    {
        using var key = Key.Import(KeyAgreementAlgorithm.X25519, privateKey, KeyBlobFormat.RawPrivateKey);
        return key.PublicKey.Export(KeyBlobFormat.RawPublicKey);
    }

    /// <summary>DH(private, public); throws <see cref="CryptoException"/> on a malformed, non-canonical or low-order public key, and on an all-zero result.</summary>
    public static byte[] Agree(ReadOnlySpan<byte> privateKey, ReadOnlySpan<byte> publicKey)
    {
        using var key = Key.Import(KeyAgreementAlgorithm.X25519, privateKey, KeyBlobFormat.RawPrivateKey);
        return Agree(key, publicKey);
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
