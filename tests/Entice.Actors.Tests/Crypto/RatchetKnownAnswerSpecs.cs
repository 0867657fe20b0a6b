using System.Security.Cryptography;
using System.Text;
using Entice.Crypto.Identity;
using Entice.Crypto.Primitives;
using Entice.Crypto.Ratchet;

namespace Entice.Tests.Crypto;

/// <summary>
/// The ratchet KDFs of PROTOCOL.md against vectors computed independently (Python hmac/hashlib, and the
/// platform's own HKDF), chained from the published RFC 7748 shared secret and libsignal chain key.
/// </summary>
public sealed class RatchetKnownAnswerSpecs
{
    // RFC 7748 section 6.1: the X25519 shared secret of Alice and Bob.
    private const string RfcSharedSecret = "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742";

    // libsignal ratchet/keys.rs chain key, used here as a root key.
    private const string RootKey = "8ab72d6f4cc5ac0d387eaf463378ddb28edd07385b1cb01250c715982e7ad48f";

    private static byte[] Hex(string hex) => Convert.FromHexString(hex);

    [Fact]
    public void Root_step_is_HKDF_with_the_old_root_key_as_salt_and_the_rk_label()
    {
        var (nextRoot, chainKey) = Kdf.RootStep(Hex(RootKey), Hex(RfcSharedSecret));

        Assert.Equal("1a3c220465c829843e2bcfeb1dda2b1f6fa6a64545f14ce131a728e10d75c6a4", Convert.ToHexStringLower(nextRoot));
        Assert.Equal("9fac4a637ecb2fca69f4f5e9f5096ee666b56a0ac2bb8e504a4cdf86bc83ad20", Convert.ToHexStringLower(chainKey));
        var platform = HKDF.DeriveKey(HashAlgorithmName.SHA256, Hex(RfcSharedSecret), 64, Hex(RootKey), Encoding.ASCII.GetBytes("Entice/v1/rk"));
        Assert.Equal(platform, nextRoot.Concat(chainKey).ToArray());
    }

    [Fact]
    public void The_first_chain_step_after_the_root_step_gives_the_expected_message_key_and_nonce()
    {
        var (_, chainKey) = Kdf.RootStep(Hex(RootKey), Hex(RfcSharedSecret));

        var (messageKey, nextChainKey) = Kdf.ChainStep(chainKey);
        var keyAndNonce = Kdf.Hkdf(messageKey, new byte[32], Encoding.ASCII.GetBytes("Entice/v1/msg"), 44);

        Assert.Equal("de8e52171dcea102d693e80430e7860b46235e4df901b6ee1b8947ea2d68d703", Convert.ToHexStringLower(messageKey));
        Assert.Equal("a7f358f6d1546659858ace4c517fa06db14d0930240edf70e826fa287d5d8aa9", Convert.ToHexStringLower(nextChainKey));
        Assert.Equal(
            "98876cf457e7e5fb6547a61e3896fcfc9f5bce5db8cfac9269a651978d9763d631e8d72024975b079a042208",
            Convert.ToHexStringLower(keyAndNonce));
    }

    [Fact]
    public void X3dh_with_a_one_time_prekey_agrees_on_both_sides_and_differs_from_three_DH_X3dh()
    {
        using var alice = IdentityKeys.Create();
        using var bob = IdentityKeys.Create();
        using var bobPrekey = SignedPrekey.Create(bob, 1);
        using var book = new SessionBook(bob, "bob", bobPrekey);
        var oneTime = book.OneTimePrekeys.Generate(1)[0];
        book.OneTimePrekeys.TryPeekForTest(oneTime.Id, out var oneTimePrivate);

        var (withOpk, ephemeral) = X3dh.Initiate(alice, Bundles.CreateBundle(bob, bobPrekey), oneTime.PublicKey);

        Assert.Equal(withOpk, X3dh.Respond(bob, bobPrekey, alice.Public, ephemeral, oneTimePrivate));
        Assert.NotEqual(withOpk, X3dh.Respond(bob, bobPrekey, alice.Public, ephemeral));
    }
}

internal static class OneTimePrekeysTestExtensions
{
    public static bool TryPeekForTest(this OneTimePrekeys keys, uint id, out byte[] privateKey) => keys.TryPeek(id, out privateKey);
}
