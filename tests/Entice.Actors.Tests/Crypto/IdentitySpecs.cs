using System.Text;
using System.Text.RegularExpressions;
using Entice.Wire;
using Entice.Crypto.Identity;
using Entice.Crypto.Primitives;

namespace Entice.Tests.Crypto;

public sealed class IdentitySpecs : IDisposable
{
    private readonly IdentityKeys me = IdentityKeys.Create();
    private readonly SignedPrekey myPrekey;

    public IdentitySpecs()
    {
        myPrekey = SignedPrekey.Create(me, 42);
    }

    public void Dispose()
    {
        myPrekey.Dispose();
        me.Dispose();
    }

    [Fact]
    public void A_published_bundle_verifies_and_carries_our_keys()
    {
        var bundle = Bundles.CreateBundle(me, myPrekey);

        Assert.True(IdentitySignatures.VerifyBundle(bundle));
        Assert.True(me.Public.HasValidBinding());
        Assert.True(PublicIdentity.FromBundle(bundle).SameKeysAs(me.Public));
        Assert.Equal(42u, bundle.PrekeyId);
        Assert.Equal(myPrekey.PublicKey, bundle.Prekey);
        Assert.Equal(64, me.Public.CombinedKey.Length);
    }

    [Fact]
    public void Any_changed_byte_in_a_bundle_makes_it_fail_verification()
    {
        var bundle = Bundles.CreateBundle(me, myPrekey);
        Func<byte[], IdentityBundle>[] variants =
        [
            b => bundle with { SigningKey = b },
            b => bundle with { DhKey = b },
            b => bundle with { BindingSignature = b },
            b => bundle with { Prekey = b },
            b => bundle with { PrekeySignature = b },
        ];
        byte[][] originals = [bundle.SigningKey, bundle.DhKey, bundle.BindingSignature, bundle.Prekey, bundle.PrekeySignature];

        for (var field = 0; field < variants.Length; field++)
        {
            for (var position = 0; position < originals[field].Length; position++)
            {
                var altered = (byte[])originals[field].Clone();
                altered[position] ^= 0x01;
                Assert.False(IdentitySignatures.VerifyBundle(variants[field](altered)), $"field {field} byte {position}");
            }
        }
    }

    [Fact]
    public void A_binding_signature_cannot_be_passed_off_as_a_prekey_signature()
    {
        var bundle = Bundles.CreateBundle(me, myPrekey);
        var confused = bundle with { Prekey = bundle.DhKey, PrekeySignature = bundle.BindingSignature };

        Assert.False(IdentitySignatures.VerifyBundle(confused));
    }

    [Fact]
    public void Garbage_bundles_are_refused_without_throwing()
    {
        var good = Bundles.CreateBundle(me, myPrekey);
        IdentityBundle?[] garbage =
        [
            null,
            good with { SigningKey = null! },
            good with { SigningKey = [] },
            good with { SigningKey = new byte[31] },
            good with { DhKey = new byte[33] },
            good with { BindingSignature = new byte[63] },
            good with { Prekey = [] },
            good with { PrekeySignature = null! },
            new IdentityBundle(new byte[32], new byte[32], new byte[64], 0, new byte[32], new byte[64]),
            new IdentityBundle(Enumerable.Repeat((byte)0xFF, 32).ToArray(), new byte[32], new byte[64], 0, new byte[32], new byte[64]),
        ];

        foreach (var bundle in garbage)
        {
            Assert.False(IdentitySignatures.VerifyBundle(bundle));
        }
    }

    [Fact]
    public void A_hello_signature_proves_the_name_and_challenge_and_nothing_else()
    {
        var challenge = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
        var signature = IdentitySignatures.SignHello(me, challenge, "alice");
        using var other = IdentityKeys.Create();

        Assert.True(IdentitySignatures.VerifyHello(me.Public.SigningKey, challenge, "alice", signature));
        Assert.False(IdentitySignatures.VerifyHello(me.Public.SigningKey, challenge, "alicf", signature));
        Assert.False(IdentitySignatures.VerifyHello(me.Public.SigningKey, challenge.Reverse().ToArray(), "alice", signature));
        Assert.False(IdentitySignatures.VerifyHello(other.Public.SigningKey, challenge, "alice", signature));
        // Moving a byte between challenge and name must not keep the signature valid (length prefixes).
        Assert.False(IdentitySignatures.VerifyHello(me.Public.SigningKey, challenge.AsSpan(0, 31), "\u001falice", signature));
    }

    [Fact]
    public void A_hello_signature_is_not_a_bundle_signature_and_vice_versa()
    {
        var bundle = Bundles.CreateBundle(me, myPrekey);

        Assert.False(IdentitySignatures.VerifyHello(me.Public.SigningKey, bundle.Prekey, string.Empty, bundle.PrekeySignature));
        Assert.False(IdentitySignatures.VerifyHello(me.Public.SigningKey, bundle.DhKey, string.Empty, bundle.BindingSignature));
    }

    [Fact]
    public void Verify_hello_never_throws_on_garbage()
    {
        Assert.False(IdentitySignatures.VerifyHello([], [], "x", []));
        Assert.False(IdentitySignatures.VerifyHello(new byte[32], new byte[32], "x", new byte[64]));
        Assert.False(IdentitySignatures.VerifyHello(me.Public.SigningKey, new byte[32], null!, new byte[64]));
        Assert.False(IdentitySignatures.VerifyHello(me.Public.SigningKey, new byte[32], "\ud800", new byte[64]));
        Assert.False(IdentitySignatures.VerifyHello(me.Public.SigningKey, new byte[32], "x", new byte[65]));
    }

    [Fact]
    public void Fingerprint_is_eight_groups_of_four_hex_digits_and_differs_between_identities()
    {
        using var other = IdentityKeys.Create();

        Assert.Matches(new Regex("^([0-9a-f]{4} ){7}[0-9a-f]{4}$"), me.Public.Fingerprint);
        Assert.NotEqual(me.Public.Fingerprint, other.Public.Fingerprint);
        Assert.Equal(me.Public.Fingerprint, PublicIdentity.FromBundle(Bundles.CreateBundle(me, myPrekey)).Fingerprint);
    }

    [Fact]
    public void Same_keys_as_compares_keys_not_array_references()
    {
        using var other = IdentityKeys.Create();
        var copy = new PublicIdentity([.. me.Public.SigningKey], [.. me.Public.DhKey], []);

        Assert.True(me.Public.SameKeysAs(copy));
        Assert.False(me.Public.SameKeysAs(other.Public));
        Assert.False(me.Public.SameKeysAs(copy with { DhKey = other.Public.DhKey }));
        Assert.False(me.Public.SameKeysAs(copy with { SigningKey = other.Public.SigningKey }));
    }

    [Fact]
    public void Imported_keys_reproduce_the_same_public_identity()
    {
        var seed = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();
        var scalar = Enumerable.Range(100, 32).Select(i => (byte)i).ToArray();
        using var first = IdentityKeys.Import(seed, scalar);
        using var second = IdentityKeys.Import(seed, scalar);

        Assert.True(first.Public.SameKeysAs(second.Public));
        Assert.True(first.Public.HasValidBinding());
        Assert.Throws<CryptoException>(() => IdentityKeys.Import(seed.AsSpan(0, 31), scalar));
    }

    [Fact]
    public void Keys_not_created_for_saving_cannot_be_exported_and_never_print_secrets()
    {
        Assert.Throws<CryptoException>(() => me.ExportPrivateKeys());
        Assert.StartsWith("IdentityKeys(", me.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToHexStringLower(me.Public.SigningKey), me.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Signed_prekeys_are_signed_by_their_owner_under_the_prekey_context()
    {
        using var stranger = IdentityKeys.Create();
        var bundle = Bundles.CreateBundle(me, myPrekey);
        var strangerBundle = Bundles.CreateBundle(stranger, myPrekey);

        Assert.True(IdentitySignatures.VerifyBundle(bundle));
        // Someone else publishing our prekey under their identity: the signature is ours, not theirs.
        Assert.False(IdentitySignatures.VerifyBundle(strangerBundle));
        Assert.Equal(64, myPrekey.Signature.Length);
        Assert.Equal(Encoding.ASCII.GetBytes("Entice/v1/spk").Length + 32, IdentitySignatures.SignedPrekeyMessage(myPrekey.PublicKey).Length);
    }
}
