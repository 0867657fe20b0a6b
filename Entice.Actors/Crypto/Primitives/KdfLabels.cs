using System.Text;

namespace Entice.Crypto.Primitives;

/// <summary>
/// The HKDF info strings and the AD prefix. Each one separates a derivation domain, so a key derived for
/// one purpose can never be confused with a key for another. Signature contexts live in
/// <see cref="IdentitySignatures"/>. The v1 labels are kept for the v2 ciphertext: the version byte is
/// part of the header, and the header is part of the AD, so v1 and v2 messages cannot be confused.
/// </summary>
internal static class KdfLabels
{
    public static readonly byte[] X3dh = Encoding.ASCII.GetBytes("Entice/v1/x3dh");
    public static readonly byte[] Root = Encoding.ASCII.GetBytes("Entice/v1/rk");
    public static readonly byte[] Message = Encoding.ASCII.GetBytes("Entice/v1/msg");
    public static readonly byte[] AssociatedDataPrefix = Encoding.ASCII.GetBytes("Entice/v1");
    public static readonly byte[] StateMac = Encoding.ASCII.GetBytes("Entice/v1/state-mac");
    public static readonly byte[] SealedFile = Encoding.ASCII.GetBytes("Entice/v1/sealed-file");

    /// <summary>The all-zero 32-byte salt the protocol uses wherever no salt is meaningful.</summary>
    public static readonly byte[] ZeroSalt = new byte[32];
}
