using System.Text;
using Entice.Wire;
using Entice.Crypto.Ratchet;
using Entice.Crypto.Identity;
using Entice.Crypto.Primitives;

namespace Entice.Tests.Crypto;

public sealed class SessionBookSpecs : AliceAndBob
{
    private static byte[] Text(string text) => Encoding.UTF8.GetBytes(text);

    private static byte[] Send(Party from, Party to, string text, MessageContext? ctx = null) =>
        from.Book.Encrypt(to.Keys, ctx ?? Party.Direct(from, to), Text(text));

    private static DecryptResult Receive(Party at, Party from, byte[] ciphertext, MessageContext? ctx = null) =>
        at.Book.Decrypt(from.Keys, ctx ?? Party.Direct(from, at), ciphertext);

    private static void AssertDecryptsTo(string expected, DecryptResult result)
    {
        Assert.True(result.Succeeded, $"expected plaintext, got {result}");
        Assert.Equal(expected, Encoding.UTF8.GetString(result.Plaintext));
    }

    [Fact]
    public void Messages_round_trip_in_both_directions()
    {
        AssertDecryptsTo("hi bob", Receive(bob, alice, Send(alice, bob, "hi bob")));
        AssertDecryptsTo("hi alice", Receive(alice, bob, Send(bob, alice, "hi alice")));
        AssertDecryptsTo("again", Receive(bob, alice, Send(alice, bob, "again")));
        AssertDecryptsTo(string.Empty, Receive(alice, bob, Send(bob, alice, string.Empty)));
    }

    [Fact]
    public void A_long_conversation_in_order_decrypts_every_message_and_keeps_no_skipped_keys()
    {
        for (var i = 0; i < 300; i++)
        {
            AssertDecryptsTo($"message {i}", Receive(bob, alice, Send(alice, bob, $"message {i}")));
        }

        Assert.Equal(0, bob.Book.SkippedKeyCount);
    }

    [Fact]
    public void The_same_plaintext_twice_gives_different_ciphertexts()
    {
        var first = Send(alice, bob, "same");
        var second = Send(alice, bob, "same");

        Assert.NotEqual(first, second);
    }

    [Fact]
    public void Flipping_any_bit_of_a_ciphertext_is_rejected_and_later_messages_still_decrypt()
    {
        // The first message creates the receiving chain; the second uses an existing one: tamper both paths.
        var first = Send(alice, bob, "first");
        var second = Send(alice, bob, "second");
        var third = Send(alice, bob, "third");

        foreach (var position in Enumerable.Range(0, first.Length))
        {
            foreach (var bit in new[] { 0x01, 0x80 })
            {
                var tampered = (byte[])first.Clone();
                tampered[position] ^= (byte)bit;
                Assert.False(Receive(bob, alice, tampered).Succeeded, $"flip at byte {position} accepted");
            }
        }

        AssertDecryptsTo("first", Receive(bob, alice, first));

        foreach (var position in Enumerable.Range(0, second.Length))
        {
            var tampered = (byte[])second.Clone();
            tampered[position] ^= 0x04;
            Assert.False(Receive(bob, alice, tampered).Succeeded, $"flip at byte {position} accepted");
        }

        AssertDecryptsTo("second", Receive(bob, alice, second));
        AssertDecryptsTo("third", Receive(bob, alice, third));
    }

    [Fact]
    public void Truncated_or_extended_ciphertexts_are_rejected_as_malformed()
    {
        var ciphertext = Send(alice, bob, "hello");

        Assert.Equal(DecryptFailure.Malformed, Receive(bob, alice, ciphertext[..^1]).Failure);
        Assert.Equal(DecryptFailure.Malformed, Receive(bob, alice, [.. ciphertext, 0]).Failure);
        Assert.Equal(DecryptFailure.Malformed, Receive(bob, alice, ciphertext[..10]).Failure);
        Assert.Equal(DecryptFailure.Malformed, Receive(bob, alice, []).Failure);
        AssertDecryptsTo("hello", Receive(bob, alice, ciphertext));
    }

    [Fact]
    public void A_replayed_ciphertext_is_rejected_even_after_later_messages()
    {
        var first = Send(alice, bob, "pay 10");
        var second = Send(alice, bob, "ok");
        AssertDecryptsTo("pay 10", Receive(bob, alice, first));

        Assert.Equal(DecryptFailure.Replay, Receive(bob, alice, first).Failure);
        AssertDecryptsTo("ok", Receive(bob, alice, second));
        Assert.Equal(DecryptFailure.Replay, Receive(bob, alice, first).Failure);
        Assert.Equal(DecryptFailure.Replay, Receive(bob, alice, second).Failure);
    }

    [Fact]
    public void A_message_moved_to_another_room_sender_recipient_or_delivery_mode_is_rejected()
    {
        var ctx = new MessageContext("lobby", "alice", "bob", Direct: true);
        var ciphertext = Send(alice, bob, "meet at 5", ctx);
        using var carol = new Party("carol");

        Assert.Equal(DecryptFailure.Invalid, Receive(bob, alice, ciphertext, ctx with { Room = "other" }).Failure);
        Assert.Equal(DecryptFailure.Invalid, Receive(bob, alice, ciphertext, ctx with { Sender = "carol" }).Failure);
        Assert.Equal(DecryptFailure.Invalid, Receive(bob, alice, ciphertext, ctx with { Recipient = "dave" }).Failure);
        Assert.Equal(DecryptFailure.Invalid, Receive(bob, alice, ciphertext, ctx with { Recipient = string.Empty }).Failure);
        Assert.Equal(DecryptFailure.Invalid, Receive(bob, alice, ciphertext, ctx with { Direct = false }).Failure);
        // Relabelled as coming from Carol: Carol's keys cannot open it.
        Assert.Equal(DecryptFailure.Invalid, bob.Book.Decrypt(carol.Keys, ctx with { Sender = "carol" }, ciphertext).Failure);

        AssertDecryptsTo("meet at 5", Receive(bob, alice, ciphertext, ctx));
    }

    [Fact]
    public void A_message_for_bob_cannot_be_read_by_carol()
    {
        using var carol = new Party("carol");
        var ciphertext = Send(alice, bob, "for bob only");

        var result = carol.Book.Decrypt(alice.Keys, Party.Direct(alice, bob), ciphertext);

        Assert.False(result.Succeeded);
        AssertDecryptsTo("for bob only", Receive(bob, alice, ciphertext));
    }

    [Fact]
    public void A_message_to_a_prekey_we_do_not_hold_is_reported_as_unknown_prekey()
    {
        using var bobWithOtherPrekey = new Party("bob", prekeyId: 2);
        var ciphertext = alice.Book.Encrypt(bobWithOtherPrekey.Keys, Party.Direct(alice, bob), Text("hi"));

        Assert.Equal(DecryptFailure.UnknownPrekey, Receive(bob, alice, ciphertext).Failure);
    }

    [Fact]
    public void Out_of_order_messages_within_max_skip_each_decrypt_exactly_once()
    {
        var ciphertexts = Enumerable.Range(0, 6).Select(i => Send(alice, bob, $"m{i}")).ToArray();

        foreach (var i in new[] { 4, 1, 5, 0, 3, 2 })
        {
            AssertDecryptsTo($"m{i}", Receive(bob, alice, ciphertexts[i]));
        }

        Assert.Equal(0, bob.Book.SkippedKeyCount);
        foreach (var ciphertext in ciphertexts)
        {
            Assert.Equal(DecryptFailure.Replay, Receive(bob, alice, ciphertext).Failure);
        }
    }

    [Fact]
    public void A_message_more_than_max_skip_ahead_is_refused_and_the_chain_is_unharmed()
    {
        using var sender = new Party("alice");
        using var receiver = new Party("bob", maxSkip: 5);
        var ciphertexts = Enumerable.Range(0, 14).Select(i => Send(sender, receiver, $"m{i}")).ToArray();

        Assert.Equal(DecryptFailure.TooFarAhead, Receive(receiver, sender, ciphertexts[6]).Failure);
        AssertDecryptsTo("m5", Receive(receiver, sender, ciphertexts[5]));
        Assert.Equal(5, receiver.Book.SkippedKeyCount);
        Assert.Equal(DecryptFailure.TooFarAhead, Receive(receiver, sender, ciphertexts[12]).Failure);
        AssertDecryptsTo("m11", Receive(receiver, sender, ciphertexts[11]));
        Assert.True(receiver.Book.SkippedKeyCount <= 5);
        AssertDecryptsTo("m12", Receive(receiver, sender, ciphertexts[12]));
        AssertDecryptsTo("m13", Receive(receiver, sender, ciphertexts[13]));
    }

    [Fact]
    public void Skipped_keys_are_bounded_across_peers_and_the_oldest_are_dropped_first()
    {
        using var receiver = new Party("bob", maxSkip: 4);
        using var carol = new Party("carol");
        var fromAlice = Enumerable.Range(0, 4).Select(i => Send(alice, receiver, $"a{i}")).ToArray();
        var fromCarol = Enumerable.Range(0, 4).Select(i => Send(carol, receiver, $"c{i}")).ToArray();

        AssertDecryptsTo("a3", Receive(receiver, alice, fromAlice[3]));
        AssertDecryptsTo("c3", Receive(receiver, carol, fromCarol[3]));

        Assert.Equal(4, receiver.Book.SkippedKeyCount);
        // Alice's a0 and a1 keys were the oldest: evicted, so those messages can no longer be opened.
        Assert.Equal(DecryptFailure.Replay, Receive(receiver, alice, fromAlice[0]).Failure);
        Assert.Equal(DecryptFailure.Replay, Receive(receiver, alice, fromAlice[1]).Failure);
        AssertDecryptsTo("a2", Receive(receiver, alice, fromAlice[2]));
        AssertDecryptsTo("c0", Receive(receiver, carol, fromCarol[0]));
    }

    [Fact]
    public void A_bundle_with_a_forged_binding_or_prekey_signature_is_refused_both_ways()
    {
        using var mallory = new Party("mallory");
        var real = bob.Keys.Bundle;
        var forgedBinding = real with { DhKey = mallory.Keys.Bundle.DhKey };
        var forgedPrekey = real with { Prekey = mallory.Keys.Bundle.Prekey };
        var crossSigned = real with { BindingSignature = mallory.Keys.Bundle.BindingSignature };

        foreach (var bundle in new[] { forgedBinding, forgedPrekey, crossSigned })
        {
            Assert.Throws<CryptoException>(() => alice.Book.Encrypt(new PeerKeys("bob", bundle), Party.Direct(alice, bob), Text("x")));
        }

        var ciphertext = Send(alice, bob, "hello");
        var forgedSender = new PeerKeys("alice", alice.Keys.Bundle with { DhKey = mallory.Keys.Bundle.DhKey });
        Assert.Equal(DecryptFailure.Invalid, bob.Book.Decrypt(forgedSender, Party.Direct(alice, bob), ciphertext).Failure);
        AssertDecryptsTo("hello", Receive(bob, alice, ciphertext));
    }

    [Fact]
    public void A_relay_substituting_its_own_validly_signed_bundle_cannot_get_bob_to_accept_the_message()
    {
        using var mallory = new Party("mallory");
        var ciphertext = alice.Book.Encrypt(new PeerKeys("bob", mallory.Keys.Bundle), Party.Direct(alice, bob), Text("secret"));

        Assert.Equal(DecryptFailure.Invalid, Receive(bob, alice, ciphertext).Failure);
    }

    [Fact]
    public void A_peer_with_new_identity_keys_gets_a_new_session_that_it_can_read()
    {
        var before = Send(alice, bob, "old bob");
        using var newBob = new Party("bob");

        var after = alice.Book.Encrypt(newBob.Keys, Party.Direct(alice, newBob), Text("new bob"));

        Assert.NotEqual(before.AsSpan(1, 32).ToArray(), after.AsSpan(1, 32).ToArray());
        AssertDecryptsTo("new bob", newBob.Book.Decrypt(alice.Keys, Party.Direct(alice, newBob), after));
        Assert.False(newBob.Book.Decrypt(alice.Keys, Party.Direct(alice, newBob), before).Succeeded);
    }

    [Fact]
    public void A_sender_whose_identity_changed_cannot_continue_the_old_chain()
    {
        AssertDecryptsTo("first", Receive(bob, alice, Send(alice, bob, "first")));
        var next = Send(alice, bob, "next");
        using var impostor = new Party("alice");

        Assert.Equal(DecryptFailure.Invalid, bob.Book.Decrypt(impostor.Keys, Party.Direct(alice, bob), next).Failure);
        AssertDecryptsTo("next", Receive(bob, alice, next));
    }

    [Fact]
    public void After_forgetting_a_peer_its_old_messages_are_replays_and_new_sessions_work()
    {
        var first = Send(alice, bob, "before");
        AssertDecryptsTo("before", Receive(bob, alice, first));

        bob.Book.ForgetPeer("alice");
        alice.Book.ForgetPeer("bob");

        Assert.Equal(DecryptFailure.Replay, Receive(bob, alice, first).Failure);
        AssertDecryptsTo("after", Receive(bob, alice, Send(alice, bob, "after")));
    }

    [Fact]
    public void The_plaintext_never_appears_in_the_ciphertext_and_length_is_padded()
    {
        var secret = string.Concat(Enumerable.Repeat("attack at dawn! ", 12));
        var plaintext = Text(secret);
        var ciphertext = Send(alice, bob, secret);

        for (var start = 0; start + 8 <= plaintext.Length; start++)
        {
            Assert.True(ciphertext.AsSpan().IndexOf(plaintext.AsSpan(start, 8)) < 0, $"plaintext bytes {start}.. visible");
        }

        Assert.Equal(Send(alice, bob, "a").Length, Send(alice, bob, new string('b', 63)).Length);
        Assert.NotEqual(Send(alice, bob, "a").Length, Send(alice, bob, new string('b', 64)).Length);
    }

    [Fact]
    public void Results_and_books_never_print_the_plaintext()
    {
        var result = Receive(bob, alice, Send(alice, bob, "top secret words"));

        Assert.True(result.Succeeded);
        Assert.DoesNotContain("secret", result.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("secret", bob.Book.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_low_order_ephemeral_key_in_a_header_is_rejected_as_invalid()
    {
        var ciphertext = Send(alice, bob, "x");
        ciphertext.AsSpan(2, 32).Clear(); // the base key (X3DH ephemeral) of a prekey message

        Assert.Equal(DecryptFailure.Invalid, Receive(bob, alice, ciphertext).Failure);
    }

    [Fact]
    public void A_disposed_book_refuses_to_work()
    {
        var ciphertext = Send(alice, bob, "x");
        bob.Book.Dispose();

        Assert.Throws<ObjectDisposedException>(() => Receive(bob, alice, ciphertext));
    }
}
