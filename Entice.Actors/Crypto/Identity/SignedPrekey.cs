using Entice.Wire;
using NSec.Cryptography;
using Entice.Crypto.Primitives;

namespace Entice.Crypto.Identity;

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
        // Exportable because a session book persists its prekeys; only ExportPrivateKey (internal) uses it.
        var key = Key.Create(KeyAgreementAlgorithm.X25519, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport });
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

    /// <summary>Rebuild a saved prekey; the signature is checked so a corrupt state cannot plant a foreign one.</summary>
    internal static SignedPrekey Restore(IdentityKeys owner, uint id, ReadOnlySpan<byte> privateKey, byte[] signature)
    {
        var key = Key.Import(
            KeyAgreementAlgorithm.X25519,
            privateKey,
            KeyBlobFormat.RawPrivateKey,
            new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport });
        var publicKey = key.PublicKey.Export(KeyBlobFormat.RawPublicKey);
        var owned = owner.Public;
        var bundle = new IdentityBundle(owned.SigningKey, owned.DhKey, owned.BindingSignature, id, publicKey, signature);
        if (!IdentitySignatures.VerifyBundle(bundle))
        {
            key.Dispose();
            throw new CryptoException("A saved signed prekey does not carry a valid signature.");
        }

        return new SignedPrekey(id, key, publicKey, signature);
    }

    /// <summary>The raw private scalar; the caller must zero it.</summary>
    internal byte[] ExportPrivateKey()
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if (key.ExportPolicy != KeyExportPolicies.AllowPlaintextExport)
        {
            throw new CryptoException("This signed prekey cannot be saved.");
        }

        return key.Export(KeyBlobFormat.RawPrivateKey);
    }

    /// <summary>An independent copy, so a book can own its prekeys whatever the caller does with the original.</summary>
    internal SignedPrekey Copy(IdentityKeys owner)
    {
        var scalar = ExportPrivateKey();
        try
        {
            return Restore(owner, Id, scalar, [.. Signature]);
        }
        finally
        {
            Kdf.Wipe(scalar);
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
