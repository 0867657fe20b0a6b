using System.Text;
using Entice.Wire;
using NSec.Cryptography;
using Entice.Crypto.Primitives;

namespace Entice.Crypto.Identity;

/// <summary>
/// Every Ed25519 signature the protocol makes, with its context string. Each context prefixes the signed
/// bytes so that a signature made for one purpose (say, a prekey) can never be replayed as another (a hello).
/// The server uses <see cref="VerifyBundle"/> and <see cref="VerifyHello"/> and nothing else from Crypto.
/// </summary>
public static class IdentitySignatures
{
    public const int PublicKeySize = 32;
    public const int SignatureSize = 64;

    private static readonly byte[] IdentityBindingContext = Encoding.ASCII.GetBytes("Entice/v1/idbind");
    private static readonly byte[] SignedPrekeyContext = Encoding.ASCII.GetBytes("Entice/v1/spk");
    private static readonly byte[] HelloContext = Encoding.ASCII.GetBytes("Entice/v1/hello");

    /// <summary>
    /// True when the bundle's keys have the right sizes and are usable (<see cref="PublicKeyCheck"/>), its X25519 identity key is bound to its signing key,
    /// and its prekey is signed by that signing key. Never throws, whatever the bytes.
    /// </summary>
    public static bool VerifyBundle(IdentityBundle? bundle)
    {
        if (bundle?.SigningKey is null || bundle.DhKey is null || bundle.BindingSignature is null
            || bundle.Prekey is null || bundle.PrekeySignature is null)
        {
            return false;
        }

        // Every key from the wire: a low-order or non-canonical X25519 point (identity or prekey), or a
        // small-order Ed25519 key, is refused even when correctly signed.
        if (!PublicKeyCheck.IsUsableX25519(bundle.Prekey))
        {
            return false;
        }

        return VerifyBinding(bundle.SigningKey, bundle.DhKey, bundle.BindingSignature)
            && Verify(bundle.SigningKey, SignedPrekeyMessage(bundle.Prekey), bundle.PrekeySignature);
    }

    /// <summary>Sign a server challenge together with the name being claimed, proving ownership of the key.</summary>
    public static byte[] SignHello(IdentityKeys me, ReadOnlySpan<byte> challenge, string name)
    {
        ArgumentNullException.ThrowIfNull(me);
        ArgumentNullException.ThrowIfNull(name);
        return me.Sign(HelloMessage(challenge, name));
    }

    /// <summary>True when <paramref name="signature"/> is the hello signature for this challenge and name. Never throws.</summary>
    public static bool VerifyHello(ReadOnlySpan<byte> signingKey, ReadOnlySpan<byte> challenge, string name, ReadOnlySpan<byte> signature)
    {
        if (name is null)
        {
            return false;
        }

        byte[] message;
        try
        {
            message = HelloMessage(challenge, name);
        }
        catch (CryptoException)
        {
            return false;
        }

        return Verify(signingKey, message, signature);
    }

    internal static bool VerifyBinding(ReadOnlySpan<byte> signingKey, ReadOnlySpan<byte> dhKey, ReadOnlySpan<byte> bindingSignature) =>
        PublicKeyCheck.IsUsableX25519(dhKey) && Verify(signingKey, IdentityBindingMessage(dhKey), bindingSignature);

    internal static byte[] IdentityBindingMessage(ReadOnlySpan<byte> dhKey) => [.. IdentityBindingContext, .. dhKey];

    internal static byte[] SignedPrekeyMessage(ReadOnlySpan<byte> prekey) => [.. SignedPrekeyContext, .. prekey];

    // Length-prefixed: the challenge and the name are both variable, so plain concatenation could be ambiguous.
    private static byte[] HelloMessage(ReadOnlySpan<byte> challenge, string name) =>
        new LengthPrefixedWriter().Add(HelloContext).Add(challenge).Add(name).ToArray();

    private static bool Verify(ReadOnlySpan<byte> signingKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        if (!PublicKeyCheck.IsUsableEd25519(signingKey) || signature.Length != SignatureSize)
        {
            return false;
        }

        if (!PublicKey.TryImport(SignatureAlgorithm.Ed25519, signingKey, KeyBlobFormat.RawPublicKey, out var publicKey) || publicKey is null)
        {
            return false;
        }

        return SignatureAlgorithm.Ed25519.Verify(publicKey, message, signature);
    }
}
