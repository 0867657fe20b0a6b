namespace Entice.Crypto.Primitives;

/// <summary>
/// Checks every public key that arrives from the wire before it is used. A low-order X25519 point makes
/// every DH with it a known value (all zeros), and a small-order Ed25519 key lets one signature verify for
/// many messages; a non-canonical encoding (a value of p or more, or the top bit set) is a second spelling
/// of a key we may have compared or pinned. Each is refused. Constant inputs, so no timing concern.
/// </summary>
public static class PublicKeyCheck
{
    public const int KeySize = 32;

    // X25519 u-coordinates of small order (RFC 7748 §6.1; libsodium's blocklist, p and p+1 are caught as
    // non-canonical): 0 (order 4 on the twist), 1 (order 4), two points of order 8, p-1 (order 2).
    private static readonly byte[][] SmallOrderX25519 =
    [
        Convert.FromHexString("0000000000000000000000000000000000000000000000000000000000000000"),
        Convert.FromHexString("0100000000000000000000000000000000000000000000000000000000000000"),
        Convert.FromHexString("e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800"),
        Convert.FromHexString("5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157"),
        Convert.FromHexString("ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"),
    ];

    // Ed25519 y-coordinates (sign bit cleared) of the eight small-order points: 1 (identity), p-1 (order 2),
    // 0 (the two points of order 4), and the two y values shared by the four points of order 8.
    private static readonly byte[][] SmallOrderEd25519 =
    [
        Convert.FromHexString("0100000000000000000000000000000000000000000000000000000000000000"),
        Convert.FromHexString("ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"),
        Convert.FromHexString("0000000000000000000000000000000000000000000000000000000000000000"),
        Convert.FromHexString("26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05"),
        Convert.FromHexString("c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a"),
    ];

    /// <summary>
    /// What is wrong with a bundle's keys, or null when each is usable: the server checks a hello with it
    /// before it stores or relays the keys (a correctly signed all-zero prekey would otherwise reach every
    /// peer); clients check each bundle again when it arrives.
    /// </summary>
    public static string? Problem(Entice.Wire.IdentityBundle bundle)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        if (!IsUsableEd25519(bundle.SigningKey))
            return "the signing key is a small-order or non-canonical Ed25519 point";
        if (!IsUsableX25519(bundle.DhKey))
            return "the identity key is a low-order or non-canonical X25519 point";
        if (!IsUsableX25519(bundle.Prekey))
            return "the signed prekey is a low-order or non-canonical X25519 point";
        return null;
    }

    /// <summary>True for a 32-byte canonical X25519 public key (u &lt; p, top bit clear) that is not of small order.</summary>
    public static bool IsUsableX25519(ReadOnlySpan<byte> key)
    {
        if (key.Length != KeySize || (key[31] & 0x80) != 0 || !BelowP(key))
        {
            return false;
        }

        foreach (var bad in SmallOrderX25519)
        {
            if (key.SequenceEqual(bad))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>True for a 32-byte Ed25519 public key whose y is canonical (&lt; p) and which is not of small order.</summary>
    public static bool IsUsableEd25519(ReadOnlySpan<byte> key)
    {
        if (key.Length != KeySize)
        {
            return false;
        }

        Span<byte> y = stackalloc byte[KeySize];
        key.CopyTo(y);
        y[31] &= 0x7F;
        if (!BelowP(y))
        {
            return false;
        }

        foreach (var bad in SmallOrderEd25519)
        {
            if (y.SequenceEqual(bad))
            {
                return false;
            }
        }

        return true;
    }

    // p = 2^255 - 19, little-endian: ed ff .. ff 7f. A 255-bit value is >= p only if bytes 1..30 are all
    // 0xff, byte 31 is 0x7f and byte 0 is 0xed or more.
    private static bool BelowP(ReadOnlySpan<byte> value)
    {
        if ((value[31] & 0x7F) != 0x7F || value[0] < 0xED)
        {
            return true;
        }

        for (var i = 1; i < 31; i++)
        {
            if (value[i] != 0xFF)
            {
                return true;
            }
        }

        return false;
    }
}
