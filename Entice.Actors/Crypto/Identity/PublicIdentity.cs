using System.Security.Cryptography;
using Entice.Crypto.Primitives;
using Entice.Wire;

namespace Entice.Crypto.Identity;

/// <summary>
/// A user's public identity: Ed25519 signing key, X25519 key, and the signature binding the second to the
/// first. Record equality compares array references; use <see cref="SameKeysAs"/> to compare keys.
/// </summary>
public sealed record PublicIdentity(byte[] SigningKey, byte[] DhKey, byte[] BindingSignature) : IBoundKeys
{
    /// <summary>SigningKey || DhKey (64 bytes): what pins, fingerprints and safety numbers are computed over.</summary>
    public byte[] CombinedKey => [.. SigningKey, .. DhKey];

    /// <summary>
    /// A short display form: the first 16 bytes of SHA-512(CombinedKey) as hex, in groups of 4 digits.
    /// Handy for logs and UI; for verification between people use <see cref="SafetyNumber"/>.
    /// </summary>
    public string Fingerprint
    {
        get
        {
            var digest = NSec.Cryptography.HashAlgorithm.Sha512.Hash(CombinedKey);
            var hex = Convert.ToHexStringLower(digest.AsSpan(0, 16));
            return string.Join(' ', Enumerable.Range(0, hex.Length / 4).Select(i => hex.Substring(i * 4, 4)));
        }
    }

    public static PublicIdentity FromBundle(IdentityBundle b)
    {
        ArgumentNullException.ThrowIfNull(b);
        return new PublicIdentity(b.SigningKey, b.DhKey, b.BindingSignature);
    }

    /// <summary>True when the X25519 key is signed by the signing key under the binding context. Never throws.</summary>
    public bool HasValidBinding() =>
        SigningKey is not null && DhKey is not null && BindingSignature is not null
        && IdentitySignatures.VerifyBinding(SigningKey, DhKey, BindingSignature);

    /// <summary>Constant-time comparison of both public keys (the binding signature is not compared).</summary>
    public bool SameKeysAs(PublicIdentity other)
    {
        ArgumentNullException.ThrowIfNull(other);
        // Evaluate both comparisons so timing does not reveal which key differs.
        var sameSigning = KeyEquality.Same(SigningKey, other.SigningKey);
        var sameDh = KeyEquality.Same(DhKey, other.DhKey);
        return sameSigning & sameDh;
    }

    /// <summary>
    /// <see cref="SameKeysAs(PublicIdentity)"/> against raw keys (a bundle's), without building an identity:
    /// constant-time, both keys compared.
    /// </summary>
    public bool SameKeysAs(ReadOnlySpan<byte> signingKey, ReadOnlySpan<byte> dhKey)
    {
        var sameSigning = KeyEquality.Same(SigningKey, signingKey);
        var sameDh = KeyEquality.Same(DhKey, dhKey);
        return sameSigning & sameDh;
    }

    public override string ToString() => $"PublicIdentity({Fingerprint})";
}
