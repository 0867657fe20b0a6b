using System.Security.Cryptography;
using Entice.Crypto.Group;

namespace Entice.Tests.Crypto.Group;

public sealed class SenderKeySpecs
{
    [Fact]
    public void One_ciphertext_is_read_by_every_other_member_with_the_senders_text()
    {
        using var room = new GroupRoom("alice", "bob", "carol");
        using var alice = room.NewSenderKey("alice");

        var message = alice.Encrypt(GroupRoom.Text("hi all"), envelopeId: 7);

        foreach (var member in new[] { "bob", "carol" })
        {
            var result = room.Receiver(member).Decrypt("alice", 7, message, room.View);
            Assert.True(result.Succeeded, result.ToString());
            Assert.Equal("hi all", System.Text.Encoding.UTF8.GetString(result.Plaintext));
        }
    }

    [Fact]
    public void A_copy_of_a_read_message_is_a_replay_and_changes_nothing()
    {
        using var room = new GroupRoom("alice", "bob");
        using var alice = room.NewSenderKey("alice");
        var first = alice.Encrypt(GroupRoom.Text("one"), 1);
        var bob = room.Receiver("bob");

        Assert.True(bob.Decrypt("alice", 1, first, room.View).Succeeded);
        Assert.Equal(GroupDecryptFailure.Replay, bob.Decrypt("alice", 1, first, room.View).Failure);
        Assert.True(bob.Decrypt("alice", 2, alice.Encrypt(GroupRoom.Text("two"), 2), room.View).Succeeded);
    }

    [Fact]
    public void A_late_message_is_read_once_from_its_kept_key_and_its_copy_is_a_replay()
    {
        using var room = new GroupRoom("alice", "bob");
        using var alice = room.NewSenderKey("alice");
        var late = alice.Encrypt(GroupRoom.Text("late"), 1);
        var early = alice.Encrypt(GroupRoom.Text("early"), 2);
        var bob = room.Receiver("bob");

        Assert.True(bob.Decrypt("alice", 2, early, room.View).Succeeded);
        Assert.Equal(1, bob.SkippedKeyCount("alice"));
        Assert.True(bob.Decrypt("alice", 1, late, room.View).Succeeded);
        Assert.Equal(0, bob.SkippedKeyCount("alice"));
        Assert.Equal(GroupDecryptFailure.Replay, bob.Decrypt("alice", 1, late, room.View).Failure);
    }

    [Fact]
    public void A_jump_beyond_max_skip_is_refused_before_the_signature_is_checked_and_the_chain_stays_usable()
    {
        using var room = new GroupRoom("alice", "bob");
        using var alice = room.NewSenderKey("alice");
        var bob = room.Receiver("bob");
        byte[] far = [];
        for (var i = 0; i <= GroupRoom.Options.MaxSkip + 1; i++)
            far = alice.Encrypt(GroupRoom.Text($"#{i}"), (ulong)i);

        // Garbage signature: TooFarAhead (not BadSignature) shows the refusal came before the Ed25519 check.
        far[^1] ^= 1;
        Assert.Equal(GroupDecryptFailure.TooFarAhead, bob.Decrypt("alice", (ulong)(GroupRoom.Options.MaxSkip + 1), far, room.View).Failure);
        Assert.Equal(0, bob.SkippedKeyCount("alice"));

        // Exactly max-skip ahead is still read.
        using var alice2 = room.NewSenderKey("alice");
        byte[] edge = [];
        for (var i = 0; i <= GroupRoom.Options.MaxSkip; i++)
            edge = alice2.Encrypt(GroupRoom.Text($"#{i}"), (ulong)i);
        Assert.True(bob.Decrypt("alice", (ulong)GroupRoom.Options.MaxSkip, edge, room.View).Succeeded);
        Assert.Equal(GroupRoom.Options.MaxSkippedKept, bob.SkippedKeyCount("alice"));
    }

    [Fact]
    public void Kept_skipped_keys_are_capped_per_sender_oldest_dropped_and_one_sender_cannot_evict_anothers()
    {
        using var room = new GroupRoom("alice", "bob", "carol");
        using var alice = room.NewSenderKey("alice");
        using var carol = room.NewSenderKey("carol");
        var bob = room.Receiver("bob");
        var carolsLate = carol.Encrypt(GroupRoom.Text("carol 0"), 100);
        Assert.True(bob.Decrypt("carol", 101, carol.Encrypt(GroupRoom.Text("carol 1"), 101), room.View).Succeeded);

        var alices = Enumerable.Range(0, 30).Select(i => alice.Encrypt(GroupRoom.Text($"alice {i}"), (ulong)i)).ToArray();
        Assert.True(bob.Decrypt("alice", 29, alices[29], room.View).Succeeded);

        Assert.Equal(GroupRoom.Options.MaxSkippedKept, bob.SkippedKeyCount("alice"));
        Assert.Equal(GroupDecryptFailure.Replay, bob.Decrypt("alice", 0, alices[0], room.View).Failure); // dropped: oldest beyond the cap
        Assert.True(bob.Decrypt("alice", 28, alices[28], room.View).Succeeded);
        Assert.True(bob.Decrypt("carol", 100, carolsLate, room.View).Succeeded);
    }

    [Fact]
    public void A_message_resigned_by_another_key_or_under_another_senders_name_is_a_bad_signature()
    {
        using var room = new GroupRoom("alice", "bob", "mallory");
        using var alice = room.NewSenderKey("alice");
        using var mallory = room.NewSenderKey("mallory");
        var bob = room.Receiver("bob");
        var message = alice.Encrypt(GroupRoom.Text("from alice"), 5);

        // mallory (a member: it holds alice's chain key too) re-signs alice's message with its own key.
        using var forger = NSec.Cryptography.Key.Create(NSec.Cryptography.SignatureAlgorithm.Ed25519);
        var signedLength = message.Length - 64;
        var forged = message.ToArray();
        var signed = SignedBytes(GroupRoom.Name, "alice", 5, forged.AsSpan(0, signedLength));
        NSec.Cryptography.SignatureAlgorithm.Ed25519.Sign(forger, signed, forged.AsSpan(signedLength));
        Assert.Equal(GroupDecryptFailure.BadSignature, bob.Decrypt("alice", 5, forged, room.View).Failure);

        // The relay moves it to another envelope id: the signature covers the id.
        Assert.Equal(GroupDecryptFailure.BadSignature, bob.Decrypt("alice", 6, message, room.View).Failure);
        Assert.True(bob.Decrypt("alice", 5, message, room.View).Succeeded);
    }

    [Fact]
    public void A_member_who_knows_the_chain_key_cannot_forge_a_message_under_the_senders_key()
    {
        // Mallory holds alice's distribution (chain key and public key): it can encrypt, but not sign.
        using var room = new GroupRoom("alice", "bob", "mallory");
        using var alice = room.NewSenderKey("alice");
        var stolen = alice.Distribution();
        var seed = RandomNumberGenerator.GetBytes(32);
        using var imitation = SenderKey.FromSecrets(GroupRoom.Name, "alice", stolen.KeyId, stolen.ChainKey, stolen.Iteration, seed, room.View, GroupRoom.Now);

        var result = room.Receiver("bob").Decrypt("alice", 1, imitation.Encrypt(GroupRoom.Text("pay mallory"), 1), room.View);

        Assert.Equal(GroupDecryptFailure.BadSignature, result.Failure);
    }

    [Fact]
    public void A_message_from_a_sender_key_we_were_not_given_is_unknown()
    {
        using var room = new GroupRoom("alice", "bob");
        using var alice = SenderKey.Create(GroupRoom.Name, "alice", room.View, GroupRoom.Now);

        var result = room.Receiver("bob").Decrypt("alice", 1, alice.Encrypt(GroupRoom.Text("x"), 1), room.View);

        Assert.Equal(GroupDecryptFailure.UnknownSenderKey, result.Failure);
    }

    [Fact]
    public void A_distribution_from_another_peer_than_its_sender_or_for_another_room_is_refused()
    {
        using var room = new GroupRoom("alice", "bob", "mallory");
        using var alice = SenderKey.Create(GroupRoom.Name, "alice", room.View, GroupRoom.Now);
        using var elsewhere = SenderKey.Create("other", "alice", room.View, GroupRoom.Now);
        var bob = room.Receiver("bob");

        Assert.Equal(DistributionOutcome.WrongSender, bob.Accept(alice.Distribution(), "mallory"));
        Assert.Equal(DistributionOutcome.WrongRoom, bob.Accept(elsewhere.Distribution(), "alice"));
        Assert.False(bob.Holds("alice", alice.KeyId));
        Assert.Equal(DistributionOutcome.Accepted, bob.Accept(alice.Distribution(), "alice"));
        Assert.Equal(DistributionOutcome.AlreadyKnown, bob.Accept(alice.Distribution(), "alice"));
    }

    [Fact]
    public void A_ghost_the_relay_showed_the_sender_is_named_in_a_roster_mismatch_and_nothing_is_decrypted()
    {
        using var room = new GroupRoom("alice", "bob");
        var bobsView = room.View;
        // The relay shows alice a "ghost" member in the room, at the next epoch; bob never sees it.
        var alicesView = RosterView.Create(bobsView.Epoch + 1, bobsView.Members.Append(new RosterMember("ghost", RandomNumberGenerator.GetBytes(32))));
        using var alice = SenderKey.Create(GroupRoom.Name, "alice", alicesView, GroupRoom.Now);
        var bob = room.Receiver("bob");
        Assert.Equal(DistributionOutcome.Accepted, bob.Accept(SenderKeyDistribution.Parse(alice.Distribution().Encode()).Distribution!, "alice"));
        var message = alice.Encrypt(GroupRoom.Text("secret"), 1);

        var result = bob.Decrypt("alice", 1, message, bobsView);

        Assert.Equal(GroupDecryptFailure.RosterMismatch, result.Failure);
        Assert.Null(result.Plaintext);
        var mismatch = result.Mismatch!;
        Assert.Equal(["ghost"], mismatch.Difference!.OnlyInSenderView);
        Assert.Empty(mismatch.Difference.OnlyInOwnView);
        Assert.True(mismatch.OwnViewBehind);
        // Nothing was consumed: with the same view as alice, bob reads it.
        Assert.True(bob.Decrypt("alice", 1, message, alicesView).Succeeded);
    }

    [Fact]
    public void A_member_hidden_from_the_sender_or_a_swapped_key_is_named()
    {
        using var room = new GroupRoom("alice", "bob", "carol");
        var bobsView = room.View;
        // The relay hides carol from alice and shows alice a different key for bob, at the same epoch.
        var alicesView = RosterView.Create(bobsView.Epoch, [new RosterMember("alice", room.Fingerprints["alice"]), new RosterMember("bob", RandomNumberGenerator.GetBytes(32))]);
        using var alice = SenderKey.Create(GroupRoom.Name, "alice", alicesView, GroupRoom.Now);
        var bob = room.Receiver("bob");
        bob.Accept(alice.Distribution(), "alice");

        var result = bob.Decrypt("alice", 1, alice.Encrypt(GroupRoom.Text("x"), 1), bobsView);

        Assert.Equal(GroupDecryptFailure.RosterMismatch, result.Failure);
        Assert.Equal(["carol"], result.Mismatch!.Difference!.OnlyInOwnView);
        Assert.Equal(["bob"], result.Mismatch.Difference.DifferentKeys);
        Assert.False(result.Mismatch.OwnViewBehind);
    }

    [Fact]
    public void A_member_who_left_cannot_read_the_message_after_rotation_with_everything_it_kept()
    {
        using var room = new GroupRoom("alice", "bob", "eve");
        using var alice = room.NewSenderKey("alice");
        var eve = room.Receiver("eve");
        Assert.True(eve.Decrypt("alice", 1, alice.Encrypt(GroupRoom.Text("before"), 1), room.View).Succeeded);
        var evesLastView = room.View;
        // eve also kept a copy of the distribution she was given.
        var evesCopy = SenderKeyDistribution.Parse(alice.Distribution().Encode()).Distribution!;

        room.Without("eve");
        Assert.Equal(RotationReason.MemberLeft, alice.RotationNeeded(room.View, GroupRoom.Now, SenderKeyOptions.Default));
        using var rotated = room.NewSenderKey("alice"); // distributed to bob only
        var after = rotated.Encrypt(GroupRoom.Text("after eve left"), 2);

        Assert.True(room.Receiver("bob").Decrypt("alice", 2, after, room.View).Succeeded);
        foreach (var view in new[] { evesLastView, room.View })
            Assert.Equal(GroupDecryptFailure.UnknownSenderKey, eve.Decrypt("alice", 2, after, view).Failure);

        // Even deriving every key of the old chain she holds, none opens the new message's body.
        var body = after.AsSpan(49, after.Length - 49 - 64).ToArray();
        var ad = GroupCipher.AssociatedData(GroupRoom.Name, "alice", 2, after.AsSpan(0, 49));
        var chainKey = evesCopy.ChainKey;
        for (var i = 0; i < 2000; i++)
        {
            var (messageKey, next) = Entice.Crypto.Primitives.Kdf.ChainStep(chainKey);
            Assert.Null(GroupCipher.Open(messageKey, ad, body));
            chainKey = next;
        }
    }

    [Fact]
    public void Three_keys_from_one_sender_keep_the_two_newest()
    {
        using var room = new GroupRoom("alice", "bob");
        using var first = room.NewSenderKey("alice");
        var inFlight = first.Encrypt(GroupRoom.Text("old"), 1);
        using var second = room.NewSenderKey("alice");
        var stillReadable = first.Encrypt(GroupRoom.Text("still"), 2);
        using var third = room.NewSenderKey("alice");
        var bob = room.Receiver("bob");

        Assert.Equal(GroupDecryptFailure.UnknownSenderKey, bob.Decrypt("alice", 1, inFlight, room.View).Failure);
        Assert.True(bob.Holds("alice", second.KeyId));
        Assert.True(bob.Holds("alice", third.KeyId));
        Assert.False(bob.Holds("alice", first.KeyId));
        Assert.Equal(GroupDecryptFailure.UnknownSenderKey, bob.Decrypt("alice", 2, stillReadable, room.View).Failure);
    }

    [Fact]
    public void Forgetting_a_sender_drops_its_keys()
    {
        using var room = new GroupRoom("alice", "bob");
        using var alice = room.NewSenderKey("alice");
        var message = alice.Encrypt(GroupRoom.Text("x"), 1);
        var bob = room.Receiver("bob");

        bob.Forget("alice");

        Assert.Equal(GroupDecryptFailure.UnknownSenderKey, bob.Decrypt("alice", 1, message, room.View).Failure);
    }

    [Fact]
    public void The_distribution_and_results_never_print_the_chain_key_or_plaintext()
    {
        using var room = new GroupRoom("alice", "bob");
        using var alice = room.NewSenderKey("alice");
        var distribution = alice.Distribution();
        var result = room.Receiver("bob").Decrypt("alice", 1, alice.Encrypt(GroupRoom.Text("topsecret"), 1), room.View);

        Assert.DoesNotContain(Convert.ToHexStringLower(distribution.ChainKey)[..8], distribution.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("topsecret", result.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("topsecret", alice.ToString(), StringComparison.Ordinal);
    }

    internal static byte[] SignedBytes(string room, string sender, ulong envelopeId, ReadOnlySpan<byte> headerAndBody) =>
        GroupCipher.SignedBytes(room, sender, envelopeId, headerAndBody);
}
