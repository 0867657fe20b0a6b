using System.Numerics;
using Entice.Tests.Hostile;
using NSec.Cryptography;
using Entice.Crypto.Primitives;

namespace Entice.Tests.Crypto;

/// <summary>
/// Which public keys from the wire are usable: the refused X25519 points give NSec no secret at all (so the
/// list is the right one), the refused Ed25519 encodings are of small order (checked by point arithmetic
/// here, independent of the code), and real keys always pass.
/// </summary>
public sealed class PublicKeyCheckSpecs
{
    private static readonly BigInteger P = BigInteger.Pow(2, 255) - 19;
    private static readonly BigInteger D = Mod(-121665 * Inverse(121666));

    public static IEnumerable<object[]> BadX25519Keys() => HostileMember.BadX25519Keys();

    [Theory]
    [MemberData(nameof(BadX25519Keys))]
    public void Every_refused_X25519_key_is_one_with_which_agreement_yields_nothing(string hex)
    {
        var key = Convert.FromHexString(hex);
        using var mine = Key.Create(KeyAgreementAlgorithm.X25519);

        Assert.False(PublicKeyCheck.IsUsableX25519(key));
        Assert.Null(KeyAgreementAlgorithm.X25519.Agree(mine, PublicKey.Import(KeyAgreementAlgorithm.X25519, key, KeyBlobFormat.RawPublicKey)));
    }

    [Theory]
    [InlineData("ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f")] // 2^255 - 1: >= p
    [InlineData("0900000000000000000000000000000000000000000000000000000000000080")] // the base point with the top bit set
    [InlineData("09000000000000000000000000000000000000000000000000000000000000")] // 31 bytes
    public void Non_canonical_or_short_X25519_encodings_are_refused(string hex) =>
        Assert.False(PublicKeyCheck.IsUsableX25519(Convert.FromHexString(hex)));

    [Fact]
    public void Real_keys_always_pass()
    {
        for (var i = 0; i < 300; i++)
        {
            using var dh = Key.Create(KeyAgreementAlgorithm.X25519);
            using var signing = Key.Create(SignatureAlgorithm.Ed25519);
            Assert.True(PublicKeyCheck.IsUsableX25519(dh.PublicKey.Export(KeyBlobFormat.RawPublicKey)));
            Assert.True(PublicKeyCheck.IsUsableEd25519(signing.PublicKey.Export(KeyBlobFormat.RawPublicKey)));
        }
    }

    [Theory]
    [InlineData("0100000000000000000000000000000000000000000000000000000000000000")] // identity
    [InlineData("ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f")] // order 2
    [InlineData("0000000000000000000000000000000000000000000000000000000000000000")] // order 4
    [InlineData("0000000000000000000000000000000000000000000000000000000000000080")] // order 4, other sign
    [InlineData("26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05")] // order 8
    [InlineData("26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85")] // order 8, other sign
    [InlineData("c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a")] // order 8
    [InlineData("c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa")] // order 8, other sign
    public void Every_small_order_Ed25519_key_is_refused(string hex)
    {
        var key = Convert.FromHexString(hex);

        Assert.True(EightTimesIsIdentity(key), "the vector itself is of small order");
        Assert.False(PublicKeyCheck.IsUsableEd25519(key));
    }

    [Theory]
    [InlineData("edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f")] // y = p
    [InlineData("eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f")] // y = p + 1
    public void Non_canonical_Ed25519_encodings_are_refused(string hex) =>
        Assert.False(PublicKeyCheck.IsUsableEd25519(Convert.FromHexString(hex)));

    [Fact]
    public void A_real_Ed25519_key_is_not_of_small_order_by_the_same_arithmetic()
    {
        using var signing = Key.Create(SignatureAlgorithm.Ed25519);
        Assert.False(EightTimesIsIdentity(signing.PublicKey.Export(KeyBlobFormat.RawPublicKey)));
    }

    // Decode (RFC 8032 5.1.3), then add the point to itself three times with the complete twisted Edwards
    // addition law (a = -1): 8P is (0, 1) exactly for the points of small order.
    private static bool EightTimesIsIdentity(byte[] encoded)
    {
        var bytes = (byte[])encoded.Clone();
        var sign = bytes[31] >> 7;
        bytes[31] &= 0x7F;
        var y = new BigInteger(bytes, isUnsigned: true);
        var u = Mod((y * y) - 1);
        var v = Mod((D * y * y) + 1);
        var xx = Mod(u * Inverse(v));
        var x = BigInteger.ModPow(xx, (P + 3) / 8, P);
        if (Mod(x * x) != xx)
            x = Mod(x * BigInteger.ModPow(2, (P - 1) / 4, P));
        Assert.Equal(xx, Mod(x * x)); // on the curve
        if ((int)(x % 2) != sign)
            x = Mod(-x);
        var (px, py) = (x, y);
        for (var i = 0; i < 3; i++)
        {
            var t = Mod(D * px * px * py * py);
            (px, py) = (Mod(2 * px * py * Inverse(1 + t)), Mod(((py * py) + (px * px)) * Inverse(1 - t)));
        }
        return px == 0 && py == 1;
    }

    private static BigInteger Mod(BigInteger value) => ((value % P) + P) % P;

    private static BigInteger Inverse(BigInteger value) => BigInteger.ModPow(Mod(value), P - 2, P);
}
