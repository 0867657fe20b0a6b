using Entice.Crypto.Primitives;

namespace Entice.Channels;

/// <summary>
/// An X25519 key pair as raw bytes (the Noise "s" and "e"): the private scalar is wiped on
/// <see cref="Dispose"/>. Raw bytes, not an NSec key, because the server key is loaded from a file and
/// the test vectors give the ephemeral scalars; importing a scalar for each DH is cheap next to the DH.
/// </summary>
public sealed class X25519KeyPair : IDisposable
{
    public const int KeySize = DiffieHellman.KeySize;

    private readonly byte[] privateKey;

    private X25519KeyPair(byte[] privateKey, byte[] publicKey)
    {
        this.privateKey = privateKey;
        PublicKey = publicKey;
    }

    /// <summary>The public key (32 bytes); do not modify.</summary>
    public byte[] PublicKey { get; }

    public bool IsDisposed { get; private set; }

    public static X25519KeyPair Generate()
    {
        var (secret, pub) = DiffieHellman.Generate();
        return new X25519KeyPair(secret, pub);
    }

    /// <summary>A key pair from a stored private scalar (copied; the caller wipes its own copy).</summary>
    public static X25519KeyPair FromPrivateKey(ReadOnlySpan<byte> privateKey)
    {
        if (privateKey.Length != KeySize)
        {
            throw new CryptoException("An X25519 private key is 32 bytes.");
        }

        return new X25519KeyPair(privateKey.ToArray(), DiffieHellman.PublicKeyOf(privateKey));
    }

    /// <summary>DH(this, remote): throws <see cref="CryptoException"/> for a low-order or malformed remote key.</summary>
    internal byte[] Agree(ReadOnlySpan<byte> remotePublicKey)
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        return DiffieHellman.Agree(privateKey, remotePublicKey);
    }

    /// <summary>A copy of the private scalar, for writing the key file; the caller wipes it.</summary>
    internal byte[] ExportPrivateKey()
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        return (byte[])privateKey.Clone();
    }

    public void Dispose()
    {
        Kdf.Wipe(privateKey);
        IsDisposed = true;
    }

    public override string ToString() => $"X25519KeyPair({Convert.ToHexString(PublicKey, 0, 4).ToLowerInvariant()}…)";
}
