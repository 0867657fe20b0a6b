using Entice.Wire;

namespace Entice.Server;

/// <summary>
/// The server's check of public keys it is handed (hello bundles, published one-time prekeys), before it
/// stores or relays them: X25519 keys that are low-order or non-canonical and Ed25519 keys of small order
/// are refused. A correctly signed all-zero prekey would otherwise reach every peer (and make their
/// X25519 agreement fail). Encodings are libsodium's blocklists (<c>has_small_order</c>), compared with
/// the top bit masked, plus every non-canonical X25519 encoding (top bit set, or u ≥ p).
/// </summary>
/// <remarks>A thin server-side check; the crypto layer may hold the same one (the lead unifies them).</remarks>
public static class PublicKeyCheck
{
    private const int KeySize = 32;

    private static readonly byte[][] LowOrderX25519 =
    [
        Hex("0000000000000000000000000000000000000000000000000000000000000000"),
        Hex("0100000000000000000000000000000000000000000000000000000000000000"),
        Hex("e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800"),
        Hex("5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157"),
        Hex("ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"),
        Hex("edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"),
        Hex("eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"),
    ];

    private static readonly byte[][] SmallOrderEd25519 =
    [
        Hex("0000000000000000000000000000000000000000000000000000000000000000"),
        Hex("0100000000000000000000000000000000000000000000000000000000000000"),
        Hex("26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05"),
        Hex("c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a"),
        Hex("ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"),
        Hex("edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"),
        Hex("eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"),
    ];

    /// <summary>What is wrong with the bundle's keys, or null when each is a usable public key.</summary>
    public static string? Problem(IdentityBundle bundle)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        if (!IsUsableEd25519(bundle.SigningKey))
            return "the signing key is a small-order Ed25519 point";
        if (!IsUsableX25519(bundle.DhKey))
            return "the identity key is a low-order or non-canonical X25519 point";
        if (!IsUsableX25519(bundle.Prekey))
            return "the signed prekey is a low-order or non-canonical X25519 point";
        return null;
    }

    public static bool IsUsableX25519(ReadOnlySpan<byte> key) =>
        key.Length == KeySize && (key[31] & 0x80) == 0 && !IsAtLeastP(key) && !Listed(key, LowOrderX25519);

    public static bool IsUsableEd25519(ReadOnlySpan<byte> key) => key.Length == KeySize && !Listed(key, SmallOrderEd25519);

    // u >= p = 2^255 - 19: bytes 1..30 all 0xff, byte 31 0x7f, byte 0 >= 0xed.
    private static bool IsAtLeastP(ReadOnlySpan<byte> key)
    {
        if ((key[31] & 0x7f) != 0x7f || key[0] < 0xed)
            return false;
        foreach (var b in key[1..31])
        {
            if (b != 0xff)
                return false;
        }
        return true;
    }

    private static bool Listed(ReadOnlySpan<byte> key, byte[][] list)
    {
        Span<byte> masked = stackalloc byte[KeySize];
        key.CopyTo(masked);
        masked[31] &= 0x7f;
        foreach (var bad in list)
        {
            if (masked.SequenceEqual(bad))
                return true;
        }
        return false;
    }

    private static byte[] Hex(string hex) => Convert.FromHexString(hex);
}
