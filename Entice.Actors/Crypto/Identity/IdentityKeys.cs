using NSec.Cryptography;
using Entice.Crypto.Primitives;

namespace Entice.Crypto.Identity;

/// <summary>
/// One user's long-term private keys: Ed25519 for signing and X25519 for X3DH. The private halves never
/// leave this object except through <see cref="ExportPrivateKeys"/>, which only <see cref="KeyDirectory"/>
/// uses, and only for keys created to be saved.
/// </summary>
public sealed class IdentityKeys : IDisposable
{
    public const int PrivateKeySize = 32;

    private readonly Key signingKey;
    private readonly Key dhKey;
    private bool disposed;

    private IdentityKeys(Key signingKey, Key dhKey)
    {
        this.signingKey = signingKey;
        this.dhKey = dhKey;
        var signingPublic = signingKey.PublicKey.Export(KeyBlobFormat.RawPublicKey);
        var dhPublic = dhKey.PublicKey.Export(KeyBlobFormat.RawPublicKey);
        var binding = SignatureAlgorithm.Ed25519.Sign(signingKey, IdentitySignatures.IdentityBindingMessage(dhPublic));
        Public = new PublicIdentity(signingPublic, dhPublic, binding);
    }

    public PublicIdentity Public { get; }

    /// <summary>The X25519 identity key, for X3DH only.</summary>
    internal Key DhKey
    {
        get
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            return dhKey;
        }
    }

    /// <summary>A fresh identity whose private keys cannot be exported (tests, throwaway identities).</summary>
    public static IdentityKeys Create() => Create(KeyExportPolicies.None);

    /// <summary>Restore an identity from its raw private keys (the Ed25519 seed and the X25519 scalar).</summary>
    public static IdentityKeys Import(ReadOnlySpan<byte> ed25519Seed32, ReadOnlySpan<byte> x25519Private32)
    {
        if (ed25519Seed32.Length != PrivateKeySize || x25519Private32.Length != PrivateKeySize)
        {
            throw new CryptoException("Identity private keys must be 32 bytes each.");
        }

        var signing = Key.Import(SignatureAlgorithm.Ed25519, ed25519Seed32, KeyBlobFormat.RawPrivateKey);
        try
        {
            var dh = Key.Import(KeyAgreementAlgorithm.X25519, x25519Private32, KeyBlobFormat.RawPrivateKey);
            return new IdentityKeys(signing, dh);
        }
        catch
        {
            signing.Dispose();
            throw;
        }
    }

    public byte[] Sign(ReadOnlySpan<byte> data)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        return SignatureAlgorithm.Ed25519.Sign(signingKey, data);
    }

    public void Dispose()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        signingKey.Dispose();
        dhKey.Dispose();
    }

    // Never print anything derived from the private keys.
    public override string ToString() => $"IdentityKeys({Public.Fingerprint})";

    /// <summary>A fresh identity that can be saved: only <see cref="KeyDirectory"/> should ask for one.</summary>
    internal static IdentityKeys CreateExportable() => Create(KeyExportPolicies.AllowPlaintextExport);

    /// <summary>Ed25519 seed (32) || X25519 private key (32). The caller must zero the result.</summary>
    internal byte[] ExportPrivateKeys()
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if (signingKey.ExportPolicy != KeyExportPolicies.AllowPlaintextExport)
        {
            throw new CryptoException("These identity keys were not created to be saved.");
        }

        var seed = signingKey.Export(KeyBlobFormat.RawPrivateKey);
        var scalar = dhKey.Export(KeyBlobFormat.RawPrivateKey);
        try
        {
            return [.. seed, .. scalar];
        }
        finally
        {
            Kdf.Wipe(seed);
            Kdf.Wipe(scalar);
        }
    }

    private static IdentityKeys Create(KeyExportPolicies exportPolicy)
    {
        var parameters = new KeyCreationParameters { ExportPolicy = exportPolicy };
        var signing = Key.Create(SignatureAlgorithm.Ed25519, parameters);
        try
        {
            var dh = Key.Create(KeyAgreementAlgorithm.X25519, parameters);
            return new IdentityKeys(signing, dh);
        }
        catch
        {
            signing.Dispose();
            throw;
        }
    }
}
