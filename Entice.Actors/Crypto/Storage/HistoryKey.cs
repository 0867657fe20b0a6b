using System.Security.Cryptography;
using System.Text;
using Entice.Crypto.Primitives;

namespace Entice.Crypto.Storage;

/// <summary>
/// The key that seals the kept history (<c>Client/History</c>), derived from the key directory's identity:
/// <code>
/// key = HKDF-SHA256(ikm = X25519(identity private key, H), salt = 0^32, info = "Entice/v1/history")
/// H = the first canonical, non-low-order X25519 u-coordinate among SHA-256("Entice/v1/history-point" || counter)
/// </code>
/// Nobody knows H's discrete logarithm, so the agreement is a secret only the identity's private key yields
/// (not its public key). The identity file is sealed under the passphrase when there is one, so the history
/// key is only obtainable with the passphrase then; without one it is as protected as <c>identity.key</c>
/// (mode 0600). Loading the identity reuses the directory's cached Argon2id derivation: no extra cost.
/// </summary>
public static class HistoryKey
{
    public const int Size = 32;

    private static readonly byte[] Label = Encoding.ASCII.GetBytes("Entice/v1/history");
    private static readonly byte[] Point = FindPoint();

    /// <summary>The history key of <paramref name="keys"/>; the caller zeroes it when done.</summary>
    public static byte[] Derive(KeyDirectory keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        using var identity = keys.LoadOrCreateIdentity(out _);
        var shared = DiffieHellman.Agree(identity.DhKey, Point);
        try
        {
            return Kdf.Hkdf(shared, KdfLabels.ZeroSalt, Label, Size);
        }
        finally
        {
            Kdf.Wipe(shared);
        }
    }

    private static byte[] FindPoint()
    {
        var seed = Encoding.ASCII.GetBytes("Entice/v1/history-point");
        for (byte counter = 0; ; counter++)
        {
            var candidate = SHA256.HashData([.. seed, counter]);
            candidate[31] &= 0x7F;
            if (PublicKeyCheck.IsUsableX25519(candidate))
                return candidate;
        }
    }
}
