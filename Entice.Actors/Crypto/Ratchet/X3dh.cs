using Entice.Wire;
using NSec.Cryptography;
using Entice.Crypto.Identity;
using Entice.Crypto.Primitives;

namespace Entice.Crypto.Ratchet;

/// <summary>
/// X3DH key agreement as in PROTOCOL.md:
/// DH1 = DH(IKdh_A, SPK_B), DH2 = DH(EK_A, IKdh_B), DH3 = DH(EK_A, SPK_B) [, DH4 = DH(EK_A, OPK_B)];
/// SK = HKDF(0xFF*32 || DH1 || DH2 || DH3 [|| DH4], salt = 32 zero bytes, info = "Entice/v1/x3dh", 32).
/// </summary>
public static class X3dh
{
    public const int SharedKeySize = 32;

    // The 0xFF prefix keeps the input distinct from any X25519 output (as in Signal's X3DH spec).
    private static readonly byte[] Prefix = Enumerable.Repeat((byte)0xFF, 32).ToArray();

    /// <summary>
    /// Initiator side without a one-time prekey: checks the peer's binding and prekey signature, makes a
    /// fresh ephemeral key, and returns the shared key (caller zeroes it) and the ephemeral public key.
    /// </summary>
    public static (byte[] SharedKey, byte[] EphemeralPublicKey) Initiate(IdentityKeys me, IdentityBundle peer) =>
        Initiate(me, peer, oneTimePrekey: null);

    /// <summary>Initiator side; with <paramref name="oneTimePrekey"/> (unsigned, from the server) DH4 is added.</summary>
    public static (byte[] SharedKey, byte[] EphemeralPublicKey) Initiate(IdentityKeys me, IdentityBundle peer, byte[]? oneTimePrekey)
    {
        ArgumentNullException.ThrowIfNull(me);
        if (!IdentitySignatures.VerifyBundle(peer))
        {
            throw new CryptoException("The peer's key bundle has an invalid signature.");
        }

        using var ephemeral = Key.Create(KeyAgreementAlgorithm.X25519);
        var dh = new List<byte[]>
        {
            DiffieHellman.Agree(me.DhKey, peer.Prekey),
            DiffieHellman.Agree(ephemeral, peer.DhKey),
            DiffieHellman.Agree(ephemeral, peer.Prekey),
        };
        try
        {
            if (oneTimePrekey is not null)
            {
                dh.Add(DiffieHellman.Agree(ephemeral, oneTimePrekey));
            }
        }
        catch
        {
            dh.ForEach(Kdf.Wipe);
            throw;
        }

        return (Derive(dh), ephemeral.PublicKey.Export(KeyBlobFormat.RawPublicKey));
    }

    /// <summary>
    /// Responder side without a one-time prekey: checks the initiator's binding, then mirrors the three DHs
    /// with our identity and prekey. Returns the shared key; the caller zeroes it.
    /// </summary>
    public static byte[] Respond(IdentityKeys me, SignedPrekey myPrekey, PublicIdentity initiator, ReadOnlySpan<byte> ephemeralPublicKey) =>
        Respond(me, myPrekey, initiator, ephemeralPublicKey, oneTimePrekeyPrivate: []);

    /// <summary>Responder side; a non-empty <paramref name="oneTimePrekeyPrivate"/> (raw scalar) adds DH4.</summary>
    internal static byte[] Respond(
        IdentityKeys me, SignedPrekey myPrekey, PublicIdentity initiator, ReadOnlySpan<byte> ephemeralPublicKey, ReadOnlySpan<byte> oneTimePrekeyPrivate)
    {
        ArgumentNullException.ThrowIfNull(me);
        ArgumentNullException.ThrowIfNull(myPrekey);
        ArgumentNullException.ThrowIfNull(initiator);
        if (!initiator.HasValidBinding())
        {
            throw new CryptoException("The initiator's identity binding is invalid.");
        }

        var dh = new List<byte[]>();
        try
        {
            dh.Add(DiffieHellman.Agree(myPrekey.Key, initiator.DhKey));
            dh.Add(DiffieHellman.Agree(me.DhKey, ephemeralPublicKey));
            dh.Add(DiffieHellman.Agree(myPrekey.Key, ephemeralPublicKey));
            if (!oneTimePrekeyPrivate.IsEmpty)
            {
                dh.Add(DiffieHellman.Agree(oneTimePrekeyPrivate, ephemeralPublicKey));
            }
        }
        catch
        {
            dh.ForEach(Kdf.Wipe);
            throw;
        }

        return Derive(dh);
    }

    private static byte[] Derive(List<byte[]> dhOutputs)
    {
        byte[] ikm = [.. Prefix, .. dhOutputs.SelectMany(output => output)];
        try
        {
            return Kdf.Hkdf(ikm, KdfLabels.ZeroSalt, KdfLabels.X3dh, SharedKeySize);
        }
        finally
        {
            Kdf.Wipe(ikm);
            dhOutputs.ForEach(Kdf.Wipe);
        }
    }
}
