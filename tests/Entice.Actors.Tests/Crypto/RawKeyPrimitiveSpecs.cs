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
}
