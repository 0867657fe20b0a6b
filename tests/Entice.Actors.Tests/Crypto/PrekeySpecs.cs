using static Entice.Tests.Crypto.Wire;
using Entice.Crypto.Identity;
using Entice.Crypto.Primitives;
using Entice.Crypto.Ratchet;

namespace Entice.Tests.Crypto;

/// <summary>One-time prekeys (DH4, consumed once) and signed prekey rotation with a grace period.</summary>
public sealed class PrekeySpecs : AliceAndBob
{
    private readonly Party carol = new("carol");

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
            carol.Dispose();
    }

    private static PeerKeys WithOneTimePrekey(Party party, (uint Id, byte[] PublicKey) oneTime) => party.Keys with { OneTimePrekey = oneTime };

    [Fact]
    public void One_time_prekeys_come_in_batches_with_distinct_ids_and_can_be_topped_up()
    {
        var batch = bob.Book.OneTimePrekeys.Generate();

        Assert.Equal(OneTimePrekeys.DefaultBatchSize, batch.Count);
        Assert.Equal(100, bob.Book.OneTimePrekeys.Remaining);
        Assert.Equal(100, batch.Select(k => k.Id).Distinct().Count());
        Assert.All(batch, k => Assert.Equal(32, k.PublicKey.Length));
        Assert.Empty(bob.Book.OneTimePrekeys.TopUp(100));
        Assert.Equal(3, bob.Book.OneTimePrekeys.TopUp(103).Count);
        Assert.Equal(103, bob.Book.OneTimePrekeys.PublicKeys.Count);
    }

    [Fact]
    public void A_session_started_with_a_one_time_prekey_uses_DH4_and_consumes_it_once()
    {
        var oneTime = bob.Book.OneTimePrekeys.Generate(3)[1];
        var first = alice.Book.Encrypt(WithOneTimePrekey(bob, oneTime), Party.Direct(alice, bob), Text("with opk"));
        var second = alice.Book.Encrypt(WithOneTimePrekey(bob, oneTime), Party.Direct(alice, bob), Text("still pending"));

        Assert.Equal(2, Kind(first));
        Assert.Equal(oneTime.Id, OneTimePrekeyId(first));
        AssertDecryptsTo("with opk", Receive(bob, alice, first));
        Assert.Equal(2, bob.Book.OneTimePrekeys.Remaining);
        Assert.DoesNotContain(bob.Book.OneTimePrekeys.PublicKeys, k => k.Id == oneTime.Id);
        // Later prekey messages of the same session do not need the (now wiped) one-time prekey.
        AssertDecryptsTo("still pending", Receive(bob, alice, second));

        // Carol, given the same (already used) one-time prekey, is refused and changes nothing.
        var reuse = carol.Book.Encrypt(WithOneTimePrekey(bob, oneTime), Party.Direct(carol, bob), Text("reuse"));
        var before = bob.Book.Export();
        Assert.Equal(DecryptFailure.UnknownPrekey, Receive(bob, carol, reuse).Failure);
        Assert.Equal(before, bob.Book.Export());
    }

    [Fact]
    public void A_prekey_message_naming_an_unknown_one_time_prekey_is_refused()
    {
        bob.Book.OneTimePrekeys.Generate(1);
        var invented = (Id: 999u, PublicKey: carol.Keys.Bundle.Prekey);
        var ciphertext = alice.Book.Encrypt(WithOneTimePrekey(bob, invented), Party.Direct(alice, bob), Text("x"));

        Assert.Equal(DecryptFailure.UnknownPrekey, Receive(bob, alice, ciphertext).Failure);
        Assert.Equal(1, bob.Book.OneTimePrekeys.Remaining);
    }

    [Fact]
    public void A_forged_message_naming_a_real_one_time_prekey_does_not_burn_it()
    {
        var oneTime = bob.Book.OneTimePrekeys.Generate(1)[0];
        var ciphertext = alice.Book.Encrypt(WithOneTimePrekey(bob, oneTime), Party.Direct(alice, bob), Text("real"));
        var forged = (byte[])ciphertext.Clone();
        forged[^1] ^= 1;

        Assert.Equal(DecryptFailure.Invalid, Receive(bob, alice, forged).Failure);
        Assert.Equal(1, bob.Book.OneTimePrekeys.Remaining);
        AssertDecryptsTo("real", Receive(bob, alice, ciphertext));
        Assert.Equal(0, bob.Book.OneTimePrekeys.Remaining);
    }

    [Fact]
    public void A_one_time_prekey_that_is_not_the_published_one_gives_a_key_bob_cannot_match()
    {
        var real = bob.Book.OneTimePrekeys.Generate(1)[0];
        var swapped = (real.Id, PublicKey: carol.Keys.Bundle.Prekey); // a relay substitutes its own key

        var ciphertext = alice.Book.Encrypt(WithOneTimePrekey(bob, swapped), Party.Direct(alice, bob), Text("x"));

        Assert.Equal(DecryptFailure.Invalid, Receive(bob, alice, ciphertext).Failure);
        Assert.Equal(1, bob.Book.OneTimePrekeys.Remaining);
    }

    [Fact]
    public void A_rotated_signed_prekey_is_accepted_during_its_grace_period_then_refused()
    {
        var inFlight = Send(alice, bob, "sent to the old prekey");
        using var next = SignedPrekey.Create(bob.Identity, 2);
        bob.Book.AddSignedPrekey(next);

        Assert.Equal(2u, bob.Book.CurrentSignedPrekeyId);
        Assert.Equal(next.PublicKey, bob.Book.CreateBundle().Prekey);
        AssertDecryptsTo("sent to the old prekey", Receive(bob, alice, inFlight));

        var lateFromCarol = Send(carol, bob, "late");
        bob.Clock.Advance(SessionBook.DefaultSignedPrekeyGracePeriod);
        Assert.Equal(DecryptFailure.UnknownPrekey, Receive(bob, carol, lateFromCarol).Failure);

        // The session made before the rotation lives on; new sessions use the new prekey.
        AssertDecryptsTo("still here", Receive(alice, bob, Send(bob, alice, "still here")));
        var newBundle = new PeerKeys("bob", bob.Book.CreateBundle());
        using var dave = new Party("dave");
        var toNew = dave.Book.Encrypt(newBundle, new MessageContext("lobby", "dave", "bob", true), Text("new prekey"));
        Assert.Equal(2u, SignedPrekeyId(toNew));
        AssertDecryptsTo("new prekey", bob.Book.Decrypt(dave.Keys, new MessageContext("lobby", "dave", "bob", true), toNew));
    }

    [Fact]
    public void Retiring_a_signed_prekey_refuses_its_messages_at_once_and_the_current_one_cannot_be_retired()
    {
        var inFlight = Send(alice, bob, "too late");
        using var next = SignedPrekey.Create(bob.Identity, 2);
        bob.Book.AddSignedPrekey(next);

        Assert.True(bob.Book.RetireSignedPrekey(1));
        Assert.False(bob.Book.RetireSignedPrekey(1));
        Assert.Equal(DecryptFailure.UnknownPrekey, Receive(bob, alice, inFlight).Failure);
        Assert.Throws<InvalidOperationException>(() => bob.Book.RetireSignedPrekey(2));
        Assert.Throws<CryptoException>(() => bob.Book.AddSignedPrekey(next));
    }
}
