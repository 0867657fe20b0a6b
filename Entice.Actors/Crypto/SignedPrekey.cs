using NSec.Cryptography;

namespace Entice.Crypto;

/// <summary>
/// A medium-term X25519 prekey signed by the owner's identity key, so that a peer can start a session
/// with us while we are offline and know the prekey really is ours.
/// </summary>
public sealed class SignedPrekey : IDisposable
{
    private readonly Key key;
    private bool disposed;

    private SignedPrekey(uint id, Key key, byte[] publicKey, byte[] signature)
    {
        Id = id;
        this.key = key;
        PublicKey = publicKey;
        Signature = signature;
    }

    public uint Id { get; }

    public byte[] PublicKey { get; }

    /// <summary>Ed25519 signature by the owner over "Entice/v1/spk" || <see cref="PublicKey"/>.</summary>
    public byte[] Signature { get; }

    /// <summary>The private prekey, for X3DH only.</summary>
    internal Key Key
    {
        get
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            return key;
        }
    }

    public static SignedPrekey Create(IdentityKeys owner, uint id)
    {
        ArgumentNullException.ThrowIfNull(owner);
        var key = Key.Create(KeyAgreementAlgorithm.X25519);
        try
        {
            var publicKey = key.PublicKey.Export(KeyBlobFormat.RawPublicKey);
            var signature = owner.Sign(IdentitySignatures.SignedPrekeyMessage(publicKey));
            return new SignedPrekey(id, key, publicKey, signature);
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        if (!disposed)
        {
            disposed = true;
            key.Dispose();
        }
    }

    public override string ToString() => $"SignedPrekey(#{Id})";
}
