using static Entice.Tests.Crypto.Wire;
using Entice.Crypto.Identity;
using Entice.Crypto.Primitives;
using Entice.Crypto.Ratchet;

namespace Entice.Tests.Crypto;

/// <summary>Export/Import: restarts continue conversations; old copies of the state lose their power.</summary>
public sealed class SessionPersistenceSpecs : AliceAndBob
{
    [Fact]
    public void A_restored_book_continues_every_conversation_without_a_new_handshake()
    {
        var oneTime = bob.Book.OneTimePrekeys.Generate(5)[0];
        var first = alice.Book.Encrypt(bob.Keys with { OneTimePrekey = oneTime }, Party.Direct(alice, bob), Text("first"));
        AssertDecryptsTo("first", Receive(bob, alice, first));
        var skippedOver = Send(alice, bob, "delivered after the restart");
        AssertDecryptsTo("ahead", Receive(bob, alice, Send(alice, bob, "ahead")));

        bob.Restart();
        alice.Restart();

        Assert.Equal(4, bob.Book.OneTimePrekeys.Remaining);
        Assert.Equal(1, bob.Book.SkippedKeyCount);
        AssertDecryptsTo("delivered after the restart", Receive(bob, alice, skippedOver));
        var reply = Send(bob, alice, "reply");
        Assert.Equal(BaseKey(first), BaseKey(reply));
        AssertDecryptsTo("reply", Receive(alice, bob, reply));
        var next = Send(alice, bob, "next");
        Assert.Equal(0, Kind(next));
        Assert.Equal(BaseKey(first), BaseKey(next));
        AssertDecryptsTo("next", Receive(bob, alice, next));
        Assert.Equal(DecryptFailure.Replay, Receive(bob, alice, first).Failure);
    }

    [Fact]
    public void Restoring_keeps_prekeys_retired_sessions_and_the_export_is_stable()
    {
        using var next = SignedPrekey.Create(bob.Identity, 2);
        var toOld = Send(alice, bob, "to old prekey");
        AssertDecryptsTo("to old prekey", Receive(bob, alice, toOld));
        bob.Book.AddSignedPrekey(next);
        bob.Book.ForgetPeer("alice");
        var exported = bob.Book.Export();

        bob.Restart();

        Assert.Equal(exported, bob.Book.Export());
        Assert.Equal(2u, bob.Book.CurrentSignedPrekeyId);
        Assert.Equal(DecryptFailure.Replay, Receive(bob, alice, toOld).Failure);
    }

    [Fact]
    public void A_copy_taken_after_receiving_cannot_decrypt_what_was_already_received()
    {
        var messages = Enumerable.Range(0, 3).Select(i => Send(alice, bob, $"m{i}")).ToArray();
        foreach (var (message, i) in messages.Select((m, i) => (m, i)))
        {
            AssertDecryptsTo($"m{i}", Receive(bob, alice, message));
        }

        using var stolen = bob.Restore(bob.Book.Export());

        foreach (var message in messages)
        {
            Assert.False(Receive(stolen, alice, bob, message).Succeeded);
        }
    }

    [Fact]
    public void An_old_copy_cannot_read_new_messages_once_both_sides_have_sent_with_fresh_ratchet_keys()
    {
        AssertDecryptsTo("a0", Receive(bob, alice, Send(alice, bob, "a0")));
        using var stolen = bob.Restore(bob.Book.Export());

        // Right after the compromise the attacker can still follow (the ratchet heals, it does not prevent).
        AssertDecryptsTo("b0", Receive(alice, bob, Send(bob, alice, "b0")));
        var a1 = Send(alice, bob, "a1");
        AssertDecryptsTo("a1", Receive(stolen, alice, bob, a1));
        AssertDecryptsTo("a1", Receive(bob, alice, a1));

        // Bob answers with a fresh ratchet key the copy never saw, Alice then ratchets too: healed.
        var b1 = Send(bob, alice, "b1");
        AssertDecryptsTo("b1", Receive(alice, bob, b1));
        var a2 = Send(alice, bob, "a2");

        Assert.False(Receive(stolen, alice, bob, a2).Succeeded);
        AssertDecryptsTo("a2", Receive(bob, alice, a2));
    }

    [Fact]
    public void A_truncated_state_is_refused_at_every_length()
    {
        AssertDecryptsTo("a0", Receive(bob, alice, Send(alice, bob, "a0")));
        bob.Book.OneTimePrekeys.Generate(2);
        var state = bob.Book.Export();

        for (var length = 0; length < state.Length; length++)
        {
            Assert.Throws<CryptoException>(() => bob.Restore(state[..length]));
        }
    }

    [Fact]
    public void A_state_with_any_byte_changed_or_appended_is_refused()
    {
        AssertDecryptsTo("a0", Receive(bob, alice, Send(alice, bob, "a0")));
        var state = bob.Book.Export();

        for (var position = 0; position < state.Length; position++)
        {
            var corrupt = (byte[])state.Clone();
            corrupt[position] ^= 0x01;
            Assert.Throws<CryptoException>(() => bob.Restore(corrupt));
        }

        Assert.Throws<CryptoException>(() => bob.Restore([.. state, 0]));
    }

    [Fact]
    public void A_state_cannot_be_loaded_by_another_identity_or_under_another_name()
    {
        var state = bob.Book.Export();

        var otherIdentity = Assert.Throws<CryptoException>(() => SessionBook.Import(alice.Identity, "bob", state));
        var otherName = Assert.Throws<CryptoException>(() => SessionBook.Import(bob.Identity, "robert", state));

        Assert.Contains("another identity", otherIdentity.Message, StringComparison.Ordinal);
        Assert.Contains("another name", otherName.Message, StringComparison.Ordinal);
    }
}
