using System.Security.Cryptography;
using System.Text;
using NSec.Cryptography;
using Entice.Crypto.Primitives;

namespace Entice.Tests.Crypto;

/// <summary>
/// Issue 17: the per-message path calls libsodium with raw key bytes (no NSec key import). Those calls must
/// give exactly the bytes NSec and the RFCs give, or every stored session and peer would stop decrypting.
/// </summary>
public sealed class RawKeyPrimitiveSpecs
{
    private static byte[] Hex(string hex) => Convert.FromHexString(hex);

    [Fact]
    public void Raw_key_ChaCha20Poly1305_seals_the_RFC_8439_sunscreen_vector_and_refuses_a_flipped_bit()
    {
        var plaintext = Encoding.ASCII.GetBytes("Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it.");
        var associatedData = Hex("50515253c0c1c2c3c4c5c6c7");
        var nonce = Hex("070000004041424344454647");
        var key = Hex("808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f");
        var sealedBytes = new byte[plaintext.Length + Libsodium.AeadTagSize];

        Libsodium.AeadEncrypt(sealedBytes, plaintext, associatedData, nonce, key);

        Assert.EndsWith("1ae10b594f09e26a7e902ecbd0600691", Convert.ToHexStringLower(sealedBytes), StringComparison.Ordinal);
        Assert.StartsWith("d31a8d34648e60db7b86afbc53ef7ec2", Convert.ToHexStringLower(sealedBytes), StringComparison.Ordinal);
        var opened = new byte[plaintext.Length];
        Assert.True(Libsodium.AeadDecrypt(opened, sealedBytes, associatedData, nonce, key));
        Assert.Equal(plaintext, opened);
        sealedBytes[5] ^= 1;
        Assert.False(Libsodium.AeadDecrypt(opened, sealedBytes, associatedData, nonce, key));
        Assert.All(opened, b => Assert.Equal(0, b));
    }

    [Fact]
    public void Raw_key_ChaCha20Poly1305_matches_NSec_for_random_keys_lengths_and_associated_data()
    {
        for (var length = 0; length < 300; length += 17)
        {
            var key = RandomNumberGenerator.GetBytes(32);
            var nonce = RandomNumberGenerator.GetBytes(12);
            var associatedData = RandomNumberGenerator.GetBytes(length % 50);
            var plaintext = RandomNumberGenerator.GetBytes(length);
            using var nsecKey = Key.Import(AeadAlgorithm.ChaCha20Poly1305, key, KeyBlobFormat.RawSymmetricKey);
            var sealedBytes = new byte[length + 16];

            Libsodium.AeadEncrypt(sealedBytes, plaintext, associatedData, nonce, key);

            Assert.Equal(AeadAlgorithm.ChaCha20Poly1305.Encrypt(nsecKey, nonce, associatedData, plaintext), sealedBytes);
        }
    }

    [Fact]
    public void Raw_key_HMAC_matches_RFC_4231_and_the_platform_HMAC()
    {
        // RFC 4231 test case 2 has a 4-byte key; libsodium's one-shot HMAC takes 32, so the cross-check is the platform's.
        for (var length = 0; length < 200; length += 13)
        {
            var key = RandomNumberGenerator.GetBytes(32);
            var data = RandomNumberGenerator.GetBytes(length);
            var mac = new byte[32];

            Libsodium.HmacSha256(mac, data, key);

            Assert.Equal(HMACSHA256.HashData(key, data), mac);
            Assert.Equal(HMACSHA256.HashData(key, data), Kdf.Hmac(key, data));
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(32)]
    [InlineData(44)]
    [InlineData(64)]
    public void Span_HKDF_gives_the_bytes_of_NSecs_HKDF(int length)
    {
        var ikm = RandomNumberGenerator.GetBytes(32);
        var salt = RandomNumberGenerator.GetBytes(32);
        var info = Encoding.ASCII.GetBytes("Entice/v1/msg");
        var output = new byte[length];

        Kdf.HkdfInto(ikm, salt, info, output);

        Assert.Equal(KeyDerivationAlgorithm.HkdfSha256.DeriveBytes(ikm, salt, info, length), output);
        Assert.Equal(Kdf.Hkdf(ikm, KdfLabels.ZeroSalt, info, length), HkdfInto(ikm, KdfLabels.ZeroSalt, info, length));
    }

    [Fact]
    public void Span_HKDF_refuses_more_than_two_blocks_or_a_salt_that_is_not_32_bytes()
    {
        Assert.Throws<CryptoException>(() => HkdfInto(new byte[32], new byte[32], [], 65));
        Assert.Throws<CryptoException>(() => HkdfInto(new byte[32], new byte[13], [], 32));
    }

    private static byte[] HkdfInto(byte[] ikm, byte[] salt, byte[] info, int length)
    {
        var output = new byte[length];
        Kdf.HkdfInto(ikm, salt, info, output);
        return output;
    }

    [Fact]
    public void Raw_X25519_gives_the_RFC_7748_section_6_1_keys_and_shared_secret_from_both_sides()
    {
        var alicePrivate = Hex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
        var bobPrivate = Hex("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb");
        var alicePublic = DiffieHellman.PublicKeyOf(alicePrivate);
        var bobPublic = DiffieHellman.PublicKeyOf(bobPrivate);

        Assert.Equal("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a", Convert.ToHexStringLower(alicePublic));
        Assert.Equal("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f", Convert.ToHexStringLower(bobPublic));
        const string shared = "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742";
        Assert.Equal(shared, Convert.ToHexStringLower(DiffieHellman.Agree(alicePrivate, bobPublic)));
        Assert.Equal(shared, Convert.ToHexStringLower(DiffieHellman.Agree(bobPrivate, alicePublic)));
    }

    [Theory]
    [InlineData("a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4", "e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c",
        "c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552")]
    [InlineData("4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d", "e5210f12786811d3f4b7959d0538ae2c31dbe7106fc03c3efc4cd549c715a493",
        "95cbde9476e8907d7aade45cb4b873f88b595a68799fa152e6f8f7647aac7957")]
    public void Raw_X25519_matches_the_RFC_7748_section_5_2_scalar_multiplication_vectors(string scalar, string u, string output)
    {
        var shared = new byte[Libsodium.ScalarMultSize];
        Assert.True(Libsodium.ScalarMult(shared, Hex(scalar), Hex(u)));
        Assert.Equal(output, Convert.ToHexStringLower(shared));
    }

    [Fact]
    public void Raw_X25519_key_pairs_and_agreements_are_NSecs_for_random_keys()
    {
        var parameters = new SharedSecretCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport };
        for (var i = 0; i < 50; i++)
        {
            var (ourPrivate, ourPublic) = DiffieHellman.Generate();
            var (theirPrivate, theirPublic) = DiffieHellman.Generate();
            Assert.NotEqual(ourPrivate, theirPrivate);
            using var ours = Key.Import(KeyAgreementAlgorithm.X25519, ourPrivate, KeyBlobFormat.RawPrivateKey);
            using var theirs = Key.Import(KeyAgreementAlgorithm.X25519, theirPrivate, KeyBlobFormat.RawPrivateKey);
            Assert.Equal(ours.PublicKey.Export(KeyBlobFormat.RawPublicKey), ourPublic);
            Assert.Equal(theirs.PublicKey.Export(KeyBlobFormat.RawPublicKey), theirPublic);

            using var nsec = KeyAgreementAlgorithm.X25519.Agree(ours, theirs.PublicKey, parameters)!;
            var expected = nsec.Export(SharedSecretBlobFormat.RawSharedSecret);
            Assert.Equal(expected, DiffieHellman.Agree(ourPrivate, theirPublic));
            Assert.Equal(expected, DiffieHellman.Agree(theirPrivate, ourPublic));
            Assert.Equal(expected, DiffieHellman.Agree(ours, theirPublic)); // the identity key's NSec path agrees too
        }
    }

    [Theory]
    [InlineData("0000000000000000000000000000000000000000000000000000000000000000")] // u = 0, order 2
    [InlineData("0100000000000000000000000000000000000000000000000000000000000000")] // u = 1, order 4
    [InlineData("e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800")] // order 8
    public void Raw_X25519_refuses_a_low_order_point_with_a_clear_error_and_never_an_all_zero_secret(string point)
    {
        var (ourPrivate, _) = DiffieHellman.Generate();
        var error = Assert.Throws<CryptoException>(() => DiffieHellman.Agree(ourPrivate, Hex(point)));
        Assert.Contains("public key", error.Message, StringComparison.Ordinal);
        var shared = new byte[Libsodium.ScalarMultSize];
        Assert.False(Libsodium.ScalarMult(shared, ourPrivate, Hex(point))); // libsodium's own check, below ours
        Assert.All(shared, b => Assert.Equal(0, b));
    }
}
