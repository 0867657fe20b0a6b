using Entice.Wire;
using NSec.Cryptography;

namespace Entice.Crypto;

/// <summary>
/// X3DH key agreement without one-time prekeys, as in PROTOCOL.md:
/// DH1 = DH(IKdh_A, SPK_B), DH2 = DH(EK_A, IKdh_B), DH3 = DH(EK_A, SPK_B);
/// SK = HKDF(0xFF*32 || DH1 || DH2 || DH3, salt = 32 zero bytes, info = "Entice/v1/x3dh", 32).
/// </summary>
public static class X3dh
{
    public const int SharedKeySize = 32;

    private const int DhSize = 32;

    // The 0xFF prefix keeps the input distinct from any X25519 output (as in Signal's X3DH spec).
    private static readonly byte[] Prefix = Enumerable.Repeat((byte)0xFF, 32).ToArray();

    /// <summary>
    /// Initiator side: checks the peer's binding and prekey signature, makes a fresh ephemeral key, and
    /// returns the shared key (caller zeroes it) and the ephemeral public key to send in the header.
    /// </summary>
    public static (byte[] SharedKey, byte[] EphemeralPublicKey) Initiate(IdentityKeys me, IdentityBundle peer)
    {
        ArgumentNullException.ThrowIfNull(me);
        if (!IdentitySignatures.VerifyBundle(peer))
        {
            throw new CryptoException("The peer's key bundle has an invalid signature.");
        }

        var peerIdentityKey = ImportPublic(peer.DhKey);
        var peerPrekey = ImportPublic(peer.Prekey);
        using var ephemeral = Key.Create(KeyAgreementAlgorithm.X25519);
        var sharedKey = Derive(
            Agree(me.DhKey, peerPrekey),
            Agree(ephemeral, peerIdentityKey),
            Agree(ephemeral, peerPrekey));
        return (sharedKey, ephemeral.PublicKey.Export(KeyBlobFormat.RawPublicKey));
    }

    /// <summary>
    /// Responder side: checks the initiator's binding, then mirrors the three DHs with our identity and
    /// prekey. Returns the shared key; the caller zeroes it.
    /// </summary>
    public static byte[] Respond(IdentityKeys me, SignedPrekey myPrekey, PublicIdentity initiator, ReadOnlySpan<byte> ephemeralPublicKey)
    {
        ArgumentNullException.ThrowIfNull(me);
        ArgumentNullException.ThrowIfNull(myPrekey);
        ArgumentNullException.ThrowIfNull(initiator);
        if (!initiator.HasValidBinding())
        {
            throw new CryptoException("The initiator's identity binding is invalid.");
        }

        var initiatorIdentityKey = ImportPublic(initiator.DhKey);
        var ephemeral = ImportPublic(ephemeralPublicKey);
        return Derive(
            Agree(myPrekey.Key, initiatorIdentityKey),
            Agree(me.DhKey, ephemeral),
            Agree(myPrekey.Key, ephemeral));
    }

    private static PublicKey ImportPublic(ReadOnlySpan<byte> raw)
    {
        if (raw.Length != DhSize
            || !PublicKey.TryImport(KeyAgreementAlgorithm.X25519, raw, KeyBlobFormat.RawPublicKey, out var key)
            || key is null)
        {
            throw new CryptoException("An X25519 public key is malformed.");
        }

        return key;
    }

    private static byte[] Agree(Key privateKey, PublicKey publicKey)
    {
        var parameters = new SharedSecretCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport };
        // NSec returns null when the result is all zeros, i.e. the peer sent a low-order point.
        using var secret = KeyAgreementAlgorithm.X25519.Agree(privateKey, publicKey, parameters)
            ?? throw new CryptoException("Key agreement produced no secret (low-order public key).");
        return secret.Export(SharedSecretBlobFormat.RawSharedSecret);
    }

    private static byte[] Derive(byte[] dh1, byte[] dh2, byte[] dh3)
    {
        byte[] ikm = [.. Prefix, .. dh1, .. dh2, .. dh3];
        try
        {
            return Kdf.Hkdf(ikm, KdfLabels.ZeroSalt, KdfLabels.X3dh, SharedKeySize);
        }
        finally
        {
            Kdf.Wipe(ikm);
            Kdf.Wipe(dh1);
            Kdf.Wipe(dh2);
            Kdf.Wipe(dh3);
        }
    }
}
