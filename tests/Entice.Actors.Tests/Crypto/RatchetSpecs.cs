using static Entice.Tests.Crypto.Wire;
using Entice.Crypto.Ratchet;

namespace Entice.Tests.Crypto;

/// <summary>The Double Ratchet as peers and an observer on the wire see it.</summary>
public sealed class RatchetSpecs : AliceAndBob
{
    [Fact]
    public void Ciphertexts_are_version_3_and_carry_the_prekey_header_until_the_initiator_hears_back()
    {
        var first = Send(alice, bob, "one");
        var second = Send(alice, bob, "two");

        Assert.Equal(0x03, first[0]);
        Assert.Equal(1, Kind(first)); // prekey message, no one-time prekey
        Assert.Equal(1, Kind(second));
        Assert.Equal(1u, SignedPrekeyId(first));
        Assert.Equal((0u, 1u), (Index(first), Index(second)));
        AssertDecryptsTo("one", Receive(bob, alice, first));
        AssertDecryptsTo("two", Receive(bob, alice, second));

        var reply = Send(bob, alice, "back");
        Assert.Equal(0, Kind(reply)); // the responder never sends prekey headers
        Assert.Equal(BaseKey(first), BaseKey(reply));
        AssertDecryptsTo("back", Receive(alice, bob, reply));

        var after = Send(alice, bob, "three");
        Assert.Equal(0, Kind(after));
        Assert.Equal(RatchetHeaderSizes.Ordinary + 16 + 64, after.Length);
        AssertDecryptsTo("three", Receive(bob, alice, after));
    }

    [Fact]
    public void A_version_1_or_2_ciphertext_or_an_unknown_header_kind_is_malformed_and_changes_nothing()
    {
        var genuine = Send(alice, bob, "v2");
        var before = bob.Book.Export();
        var asVersion1 = (byte[])genuine.Clone();
        asVersion1[0] = 0x01;
        var asVersion2 = (byte[])genuine.Clone();
        asVersion2[0] = 0x02;
        var unknownKind = (byte[])genuine.Clone();
        unknownKind[1] = 3;

        Assert.Equal(DecryptFailure.Malformed, Receive(bob, alice, asVersion1).Failure);
        Assert.Equal(DecryptFailure.Malformed, Receive(bob, alice, asVersion2).Failure);
        Assert.Equal(DecryptFailure.Malformed, Receive(bob, alice, unknownKind).Failure);
        Assert.Equal(before, bob.Book.Export());
        AssertDecryptsTo("v2", Receive(bob, alice, genuine));
    }

    [Fact]
    public void Every_turn_of_the_conversation_brings_a_fresh_ratchet_key_and_PN_counts_the_previous_chain()
    {
        var a1 = Send(alice, bob, "a1");
        var a2 = Send(alice, bob, "a2");
        AssertDecryptsTo("a1", Receive(bob, alice, a1));
        AssertDecryptsTo("a2", Receive(bob, alice, a2));
        var b1 = Send(bob, alice, "b1");
        AssertDecryptsTo("b1", Receive(alice, bob, b1));
        var a3 = Send(alice, bob, "a3");
        AssertDecryptsTo("a3", Receive(bob, alice, a3));
        var b2 = Send(bob, alice, "b2");

        Assert.Equal(RatchetKey(a1), RatchetKey(a2));
        Assert.Equal(4, new[] { RatchetKey(a1), RatchetKey(b1), RatchetKey(a3), RatchetKey(b2) }.Distinct().Count());
        Assert.Equal(2u, PreviousCount(a3));
        Assert.Equal(0u, Index(a3));
        Assert.Equal(1u, PreviousCount(b2));
        AssertDecryptsTo("b2", Receive(alice, bob, b2));
    }

    [Fact]
    public void A_peer_that_was_offline_reads_everything_sent_from_its_bundle_in_order()
    {
        var sent = Enumerable.Range(0, 5).Select(i => Send(alice, bob, $"while you were out {i}")).ToArray();

        for (var i = 0; i < sent.Length; i++)
        {
            AssertDecryptsTo($"while you were out {i}", Receive(bob, alice, sent[i]));
        }

        AssertDecryptsTo("back now", Receive(alice, bob, Send(bob, alice, "back now")));
    }

    [Fact]
    public void The_responder_can_start_from_any_early_message_when_the_first_ones_are_lost()
    {
        _ = Send(alice, bob, "lost");
        var second = Send(alice, bob, "arrives");

        AssertDecryptsTo("arrives", Receive(bob, alice, second));
        Assert.Equal(1, bob.Book.SkippedKeyCount);
    }

    [Fact]
    public void Replays_are_rejected_across_ratchet_turns()
    {
        var a1 = Send(alice, bob, "a1");
        AssertDecryptsTo("a1", Receive(bob, alice, a1));
        var b1 = Send(bob, alice, "b1");
        AssertDecryptsTo("b1", Receive(alice, bob, b1));
        var a2 = Send(alice, bob, "a2");
        AssertDecryptsTo("a2", Receive(bob, alice, a2));
        AssertDecryptsTo("b2", Receive(alice, bob, Send(bob, alice, "b2")));

        Assert.Equal(DecryptFailure.Replay, Receive(bob, alice, a1).Failure);
        Assert.Equal(DecryptFailure.Replay, Receive(bob, alice, a2).Failure);
        Assert.Equal(DecryptFailure.Replay, Receive(alice, bob, b1).Failure);
    }

    [Fact]
    public void Messages_from_an_old_chain_delayed_past_a_turn_still_decrypt_once()
    {
        var a1 = Send(alice, bob, "a1");
        var late = Send(alice, bob, "late");
        AssertDecryptsTo("a1", Receive(bob, alice, a1));
        AssertDecryptsTo("b1", Receive(alice, bob, Send(bob, alice, "b1")));
        AssertDecryptsTo("a2", Receive(bob, alice, Send(alice, bob, "a2")));

        AssertDecryptsTo("late", Receive(bob, alice, late));
        Assert.Equal(DecryptFailure.Replay, Receive(bob, alice, late).Failure);
        Assert.Equal(0, bob.Book.SkippedKeyCount);
    }

    [Fact]
    public void A_failed_decryption_changes_no_state_at_all()
    {
        AssertDecryptsTo("a1", Receive(bob, alice, Send(alice, bob, "a1")));
        _ = Send(alice, bob, "skipped");
        var genuine = Send(alice, bob, "a3");
        AssertDecryptsTo("b1", Receive(alice, bob, Send(bob, alice, "b1")));
        var turned = Send(alice, bob, "after the turn");
        var before = bob.Book.Export();

        foreach (var ciphertext in new[] { genuine, turned })
        {
            foreach (var position in new[] { 3, 40, 67, 72, ciphertext.Length - 1 })
            {
                var tampered = (byte[])ciphertext.Clone();
                tampered[position] ^= 0x10;
                Assert.False(Receive(bob, alice, tampered).Succeeded);
            }

            Assert.False(bob.Book.Decrypt(alice.Keys, Party.Direct(alice, bob) with { Room = "elsewhere" }, ciphertext).Succeeded);
        }

        Assert.Equal(before, bob.Book.Export());
        AssertDecryptsTo("after the turn", Receive(bob, alice, turned));
        AssertDecryptsTo("a3", Receive(bob, alice, genuine));
    }

    [Fact]
    public void An_ordinary_message_of_a_session_we_never_had_is_reported_as_unknown_session()
    {
        AssertDecryptsTo("a1", Receive(bob, alice, Send(alice, bob, "a1")));
        AssertDecryptsTo("b1", Receive(alice, bob, Send(bob, alice, "b1")));
        var ordinary = Send(alice, bob, "a2");
        using var freshBob = new Party("bob");

        Assert.Equal(DecryptFailure.UnknownSession, freshBob.Book.Decrypt(alice.Keys, Party.Direct(alice, bob), ordinary).Failure);
    }

    [Fact]
    public void A_new_signed_prekey_from_the_peer_starts_a_new_session_that_it_can_read()
    {
        AssertDecryptsTo("a1", Receive(bob, alice, Send(alice, bob, "a1")));
        AssertDecryptsTo("b1", Receive(alice, bob, Send(bob, alice, "b1")));
        using var restartedBob = new Party("bob", prekeyId: 2);

        var fresh = alice.Book.Encrypt(restartedBob.Keys, Party.Direct(alice, restartedBob), Text("hello again"));

        Assert.Equal(1, Kind(fresh));
        AssertDecryptsTo("hello again", restartedBob.Book.Decrypt(alice.Keys, Party.Direct(alice, restartedBob), fresh));
    }

    [Fact]
    public void Expired_skipped_keys_are_gone_and_their_messages_are_refused()
    {
        using var sender = new Party("alice");
        using var receiver = new Party("bob", skippedKeyLifetime: TimeSpan.FromHours(1));
        var early = Send(sender, receiver, "early");
        var kept = Send(sender, receiver, "kept");
        var later = Send(sender, receiver, "later");
        AssertDecryptsTo("later", Receive(receiver, sender, later));
        Assert.Equal(2, receiver.Book.SkippedKeyCount);

        receiver.Clock.Advance(TimeSpan.FromMinutes(59));
        AssertDecryptsTo("kept", Receive(receiver, sender, kept));
        receiver.Clock.Advance(TimeSpan.FromMinutes(2));

        Assert.Equal(DecryptFailure.Replay, Receive(receiver, sender, early).Failure);
        Assert.Equal(0, receiver.Book.SkippedKeyCount);
    }

    [Fact]
    public void Skipping_across_a_turn_counts_both_chains_against_max_skip()
    {
        using var sender = new Party("alice");
        using var receiver = new Party("bob", maxSkip: 4);
        AssertDecryptsTo("a0", Receive(receiver, sender, Send(sender, receiver, "a0")));
        var reply = Send(receiver, sender, "b0");
        // Three messages on Alice's first chain that Bob never gets, then Alice hears Bob and turns.
        for (var i = 0; i < 3; i++)
        {
            _ = Send(sender, receiver, $"lost {i}");
        }

        AssertDecryptsTo("b0", Receive(sender, receiver, reply));
        var next = Enumerable.Range(0, 3).Select(i => Send(sender, receiver, $"next {i}")).ToArray();

        // 3 left on the old chain + 2 skipped on the new one = 5 > 4: refused before deriving anything.
        Assert.Equal(DecryptFailure.TooFarAhead, Receive(receiver, sender, next[2]).Failure);
        Assert.Equal(0, receiver.Book.SkippedKeyCount);
        AssertDecryptsTo("next 1", Receive(receiver, sender, next[1]));
        Assert.Equal(4, receiver.Book.SkippedKeyCount);
        AssertDecryptsTo("next 2", Receive(receiver, sender, next[2]));
        AssertDecryptsTo("next 0", Receive(receiver, sender, next[0]));
        Assert.True(receiver.Book.SkippedKeyCount <= 4);
    }
}

internal static class RatchetHeaderSizes
{
    public const int Ordinary = 74;
}
