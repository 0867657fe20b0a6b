using System.Security.Cryptography;
using System.Text;
using Entice.Wire;
using NSec.Cryptography;
using Entice.Crypto.Identity;
using Entice.Crypto.Primitives;
using Entice.Crypto.Ratchet;

namespace Entice.Tests.Crypto;

/// <summary>Published test vectors run through the primitives as this library uses them.</summary>
public sealed class KnownAnswerSpecs
{
    private static byte[] Hex(string hex) => Convert.FromHexString(hex.Replace(" ", string.Empty, StringComparison.Ordinal));

    [Fact]
    public void X25519_agrees_on_the_RFC_7748_section_6_1_shared_secret_from_both_sides()
    {
        var parameters = new SharedSecretCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport };
        using var alice = Key.Import(KeyAgreementAlgorithm.X25519, Hex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"), KeyBlobFormat.RawPrivateKey);
        using var bob = Key.Import(KeyAgreementAlgorithm.X25519, Hex("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb"), KeyBlobFormat.RawPrivateKey);

        Assert.Equal("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a", Convert.ToHexStringLower(alice.PublicKey.Export(KeyBlobFormat.RawPublicKey)));
        Assert.Equal("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f", Convert.ToHexStringLower(bob.PublicKey.Export(KeyBlobFormat.RawPublicKey)));
        using var aliceSide = KeyAgreementAlgorithm.X25519.Agree(alice, bob.PublicKey, parameters)!;
        using var bobSide = KeyAgreementAlgorithm.X25519.Agree(bob, alice.PublicKey, parameters)!;
        const string expected = "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742";
        Assert.Equal(expected, Convert.ToHexStringLower(aliceSide.Export(SharedSecretBlobFormat.RawSharedSecret)));
        Assert.Equal(expected, Convert.ToHexStringLower(bobSide.Export(SharedSecretBlobFormat.RawSharedSecret)));
    }

    [Theory]
    [InlineData(
        "a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4",
        "e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c",
        "c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552")]
    [InlineData(
        "4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d",
        "e5210f12786811d3f4b7959d0538ae2c31dbe7106fc03c3efc4cd549c715a493",
        "95cbde9476e8907d7aade45cb4b873f88b595a68799fa152e6f8f7647aac7957")]
    public void X25519_matches_the_RFC_7748_section_5_2_scalar_multiplication_vectors(string scalar, string u, string output)
    {
        var parameters = new SharedSecretCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport };
        using var key = Key.Import(KeyAgreementAlgorithm.X25519, Hex(scalar), KeyBlobFormat.RawPrivateKey);
        var point = PublicKey.Import(KeyAgreementAlgorithm.X25519, Hex(u), KeyBlobFormat.RawPublicKey);
        using var secret = KeyAgreementAlgorithm.X25519.Agree(key, point, parameters)!;
        Assert.Equal(output, Convert.ToHexStringLower(secret.Export(SharedSecretBlobFormat.RawSharedSecret)));
    }

    [Fact]
    public void Ed25519_signs_the_empty_message_as_RFC_8032_test_1()
    {
        using var identity = IdentityKeys.Import(
            Hex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"),
            new byte[32]);

        Assert.Equal("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", Convert.ToHexStringLower(identity.Public.SigningKey));
        Assert.Equal(
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b",
            Convert.ToHexStringLower(identity.Sign([])));
    }

    [Fact]
    public void ChaCha20Poly1305_seals_the_RFC_8439_section_2_8_2_sunscreen_vector()
    {
        var plaintext = Encoding.ASCII.GetBytes("Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it.");
        var associatedData = Hex("50515253c0c1c2c3c4c5c6c7");
        var nonce = Hex("070000004041424344454647");
        using var key = Key.Import(AeadAlgorithm.ChaCha20Poly1305, Hex("808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f"), KeyBlobFormat.RawSymmetricKey);

        var sealedBytes = AeadAlgorithm.ChaCha20Poly1305.Encrypt(key, nonce, associatedData, plaintext);

        const string ciphertext =
            "d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d63dbea45e8ca9671282fafb69da92728b"
            + "1a71de0a9e060b2905d6a5b67ecd3b3692ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc"
            + "3ff4def08e4b7a9de576d26586cec64b6116";
        const string tag = "1ae10b594f09e26a7e902ecbd0600691";
        Assert.Equal(ciphertext + tag, Convert.ToHexStringLower(sealedBytes));
        Assert.Equal(plaintext, AeadAlgorithm.ChaCha20Poly1305.Decrypt(key, nonce, associatedData, sealedBytes));
    }

    [Fact]
    public void Hkdf_matches_RFC_5869_test_case_1()
    {
        var okm = Kdf.Hkdf(
            Enumerable.Repeat((byte)0x0b, 22).ToArray(),
            Hex("000102030405060708090a0b0c"),
            Hex("f0f1f2f3f4f5f6f7f8f9"),
            42);

        Assert.Equal("3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865", Convert.ToHexStringLower(okm));
    }

    [Fact]
    public void Chain_step_gives_libsignals_next_chain_key_and_the_HMAC_0x01_message_key()
    {
        var chainKey = Hex("8ab72d6f4cc5ac0d387eaf463378ddb28edd07385b1cb01250c715982e7ad48f");

        var (messageKey, nextChainKey) = Kdf.ChainStep(chainKey);

        Assert.Equal("28e8f8fee54b801eef7c5cfb2f17f32c7b334485bbb70fac6ec10342a246d15d", Convert.ToHexStringLower(nextChainKey));
        // Cross-checked against the platform's own HMAC, independent of NSec.
        Assert.Equal(HMACSHA256.HashData(chainKey, new byte[] { 0x01 }), messageKey);
        Assert.NotEqual(messageKey, nextChainKey);
    }

    [Fact]
    public void Safety_number_matches_libsignals_fingerprint_v1_vector_from_either_side()
    {
        var alice = Hex("0506863bc66d02b40d27b8d49ca7c09e9239236f9d7d25d6fcca5ce13c7064d868");
        var bob = Hex("05f781b6fb32fed9ba1cf2de978d4d5da28dc34046ae814402b5c0dbd96fda907b");
        const string expected = "300354477692869396892869876765458257569162576843440918079131";

        Assert.Equal(expected, SafetyNumber.Compute(alice, "+14152222222", bob, "+14153333333"));
        Assert.Equal(expected, SafetyNumber.Compute(bob, "+14153333333", alice, "+14152222222"));
    }

    [Theory]
    [InlineData("0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("0100000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800")]
    [InlineData("5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157")]
    public void A_low_order_X25519_point_yields_no_secret_and_X3dh_refuses_it(string lowOrderPoint)
    {
        using var alice = IdentityKeys.Create();
        using var bob = IdentityKeys.Create();
        using var bobPrekey = SignedPrekey.Create(bob, 1);
        var point = PublicKey.Import(KeyAgreementAlgorithm.X25519, Hex(lowOrderPoint), KeyBlobFormat.RawPublicKey);

        Assert.Null(KeyAgreementAlgorithm.X25519.Agree(bobPrekey.Key, point));
        // Responder: a low-order ephemeral key in a header.
        Assert.Throws<CryptoException>(() => X3dh.Respond(bob, bobPrekey, alice.Public, Hex(lowOrderPoint)));

        // Initiator: a bundle whose (validly signed) prekey is a low-order point.
        var prekey = Hex(lowOrderPoint);
        var bundle = new IdentityBundle(
            bob.Public.SigningKey,
            bob.Public.DhKey,
            bob.Public.BindingSignature,
            7,
            prekey,
            bob.Sign([.. Encoding.ASCII.GetBytes("Entice/v1/spk"), .. prekey]));
        // Refused at the bundle (correctly signed or not), and X3DH refuses it again.
        Assert.False(IdentitySignatures.VerifyBundle(bundle));
        Assert.Throws<CryptoException>(() => X3dh.Initiate(alice, bundle));
    }

    [Fact]
    public void X3dh_initiator_and_responder_derive_the_same_key_and_a_third_party_does_not()
    {
        using var alice = IdentityKeys.Create();
        using var bob = IdentityKeys.Create();
        using var bobPrekey = SignedPrekey.Create(bob, 1);
        using var mallory = IdentityKeys.Create();
        using var malloryPrekey = SignedPrekey.Create(mallory, 1);

        var (sharedKey, ephemeral) = X3dh.Initiate(alice, Bundles.CreateBundle(bob, bobPrekey));

        Assert.Equal(32, sharedKey.Length);
        Assert.Equal(sharedKey, X3dh.Respond(bob, bobPrekey, alice.Public, ephemeral));
        Assert.NotEqual(sharedKey, X3dh.Respond(mallory, malloryPrekey, alice.Public, ephemeral));
        // Someone claiming to be Alice with Mallory's identity key gets a different key.
        Assert.NotEqual(sharedKey, X3dh.Respond(bob, bobPrekey, mallory.Public, ephemeral));
    }
}
