using System.Text;
using Akka.Actor;
using Entice.Client;
using Entice.Tests.Support;
using Entice.Wire;
using Xunit.Abstractions;
using Entice.Client.Keys;
using Entice.Crypto.Storage;
using Entice.Crypto.Identity;
using Entice.Crypto.Primitives;

namespace Entice.Tests.Client;

/// <summary>
/// The crypto actor's state across restarts: saved sessions are restored (no new handshake), the signed
/// prekey rotates by age, a passphrase seals the key directory, and a key directory restored from an old
/// copy says so and sets up new sessions instead of failing silently.
/// </summary>
public sealed class CryptoAgentStateSpecs(ITestOutputHelper output) : CryptoAgentTestKit(output)
{
    private const byte OrdinaryMessage = 0;
    private DateTimeOffset _now = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_restarted_client_continues_its_conversations_without_a_new_handshake()
    {
        var aliceDir = NewDir();
        var (alice, bob) = await StartPairAsync(aliceDir);
        Assert.Equal("one", await SendAsync(alice, bob, "one"));
        Assert.Equal("two", await SendAsync(bob, alice, "two"));
        Assert.Equal("three", await SendAsync(alice, bob, "three"));

        await StopAsync(alice);
        var again = await StartAsync("alice", aliceDir);

        // The same signed prekey as before: nothing new to agree on.
        Assert.Equal(alice.Info.Identity.PrekeyId, again.Info.Identity.PrekeyId);
        Assert.Equal(alice.Info.Identity.Prekey, again.Info.Identity.Prekey);
        await MeetAsync(again, bob.Info);
        Assert.Equal("four", await SendAsync(bob, again, "four"));
        var toBob = await EncryptAsync(again, bob.Info, "five");
        Assert.Equal(OrdinaryMessage, toBob.Ciphertext[1]);
        Assert.Equal("five", (await OpenAsync(bob, toBob, again.Info)).Plaintext.Text);
        Assert.Equal("six", await SendAsync(bob, again, "six"));
    }

    [Fact]
    public async Task A_replay_after_a_restart_is_still_refused()
    {
        var aliceDir = NewDir();
        var (alice, bob) = await StartPairAsync(aliceDir);
        var first = await EncryptAsync(bob, alice.Info, "pay 10 coins");
        await OpenAsync(alice, first, bob.Info);

        await StopAsync(alice);
        var again = await StartAsync("alice", aliceDir);
        again.Ref.Tell(new CryptoAgent.Decrypt(first, bob.Info));

        Assert.Equal(ErrorCodes.Replay, (await ExpectMsgAsync<CryptoAgent.DecryptRejected>()).Code);
    }

    [Fact]
    public async Task The_signed_prekey_is_replaced_when_it_is_older_than_the_rotation_period_and_the_old_one_works_for_the_grace_period()
    {
        var aliceDir = NewDir();
        var options = new CryptoAgent.Options
        {
            Clock = () => _now,
            SignedPrekeyRotation = TimeSpan.FromDays(7),
            SignedPrekeyGracePeriod = TimeSpan.FromDays(14),
        };
        var alice = await StartAsync("alice", new KeyDirectory(aliceDir), options);
        var bob = await StartAsync("bob");
        await MeetAsync(bob, alice.Info);

        _now += TimeSpan.FromDays(6);
        await StopAsync(alice);
        var sixDays = await StartAsync("alice", new KeyDirectory(aliceDir), options);
        Assert.Equal(alice.Info.Identity.PrekeyId, sixDays.Info.Identity.PrekeyId);

        // Past the rotation period: a new prekey, also without a restart (when the identity is asked for).
        _now += TimeSpan.FromDays(2);
        var eightDays = await IdentityAsync(sixDays.Ref);
        Assert.NotEqual(alice.Info.Identity.PrekeyId, eightDays.Identity.PrekeyId);
        Assert.NotEqual(alice.Info.Identity.Prekey, eightDays.Identity.Prekey);
        Assert.True(IdentitySignatures.VerifyBundle(eightDays.Identity));

        // Kept across a restart, and the old prekey still opens a first message within the grace period.
        await StopAsync(sixDays);
        var restarted = await StartAsync("alice", new KeyDirectory(aliceDir), options);
        Assert.Equal(eightDays.Identity.PrekeyId, restarted.Info.Identity.PrekeyId);
        var late = await EncryptAsync(bob, alice.Info, "sent to the old prekey");
        Assert.NotEqual(OrdinaryMessage, late.Ciphertext[1]);
        await MeetAsync(restarted, bob.Info);
        Assert.Equal("sent to the old prekey", (await OpenAsync(restarted, late, bob.Info)).Plaintext.Text);

        // After the grace period the old prekey is gone; a new first message to it cannot be read.
        _now += TimeSpan.FromDays(15);
        var carol = await StartAsync("carol");
        await MeetAsync(carol, alice.Info);
        var tooLate = await EncryptAsync(carol, alice.Info, "far too late");
        await MeetAsync(restarted, carol.Info);
        restarted.Ref.Tell(new CryptoAgent.Decrypt(tooLate, carol.Info));
        var rejected = await ExpectMsgAsync<CryptoAgent.DecryptRejected>();
        Assert.Equal(ErrorCodes.DecryptFailed, rejected.Code);
        Assert.Contains("prekey", rejected.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("far too late", rejected.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_protected_key_directory_opens_with_the_right_passphrase_and_continues_the_conversation()
    {
        var aliceDir = NewDir();
        var (alice, bob) = await StartPairAsync(Protected(aliceDir, "correct horse"));
        Assert.Equal("hello", await SendAsync(alice, bob, "hello"));
        Assert.Equal("hi", await SendAsync(bob, alice, "hi"));
        await StopAsync(alice);

        var keys = Protected(aliceDir, "correct horse");
        using (var check = keys.LoadOrCreateIdentity(out var created))
        {
            Assert.False(created);
            Assert.Null(keys.Validate("alice"));
        }

        var again = await StartAsync("alice", keys);
        Assert.Equal(alice.Info.Identity.Prekey, again.Info.Identity.Prekey);
        await MeetAsync(again, bob.Info);
        Assert.Equal("still here", await SendAsync(bob, again, "still here"));
        var reply = await EncryptAsync(again, bob.Info, "me too");
        Assert.Equal(OrdinaryMessage, reply.Ciphertext[1]);
        Assert.Equal("me too", (await OpenAsync(bob, reply, again.Info)).Plaintext.Text);
    }

    [Fact]
    public async Task A_wrong_or_missing_passphrase_is_refused_and_changes_nothing()
    {
        var aliceDir = NewDir();
        var alice = await StartAsync("alice", Protected(aliceDir, "correct horse"));
        var bob = await StartAsync("bob");
        await MeetAsync(alice, bob.Info);
        Assert.Equal("hello", await SendAsync(alice, bob, "hello"));
        await StopAsync(alice);
        var before = Snapshot(aliceDir);

        var wrong = Assert.Throws<CryptoException>(() => Protected(aliceDir, "wrong horse").LoadOrCreateIdentity(out _));
        Assert.Contains("wrong passphrase or corrupted key file", wrong.Message, StringComparison.Ordinal);
        Assert.Throws<CryptoException>(() => Protected(aliceDir, "wrong horse").LoadSessions());
        var none = Assert.Throws<CryptoException>(() => new KeyDirectory(aliceDir).LoadOrCreateIdentity(out _));
        Assert.Contains("passphrase", none.Message, StringComparison.Ordinal);
        Assert.Equal(CryptoAgent.KeyDirectoryKind.Protected, CryptoAgent.InspectKeyDirectory(aliceDir));
        Assert.Equal(CryptoAgent.KeyDirectoryKind.New, CryptoAgent.InspectKeyDirectory(NewDir()));

        var after = Snapshot(aliceDir);
        Assert.Equal(before.Keys.Order(), after.Keys.Order());
        foreach (var (file, bytes) in before)
            Assert.Equal(bytes, after[file]);
    }

    [Fact]
    public async Task No_file_in_a_protected_key_directory_holds_private_keys_or_plaintext()
    {
        var aliceDir = NewDir();
        var (alice, bob) = await StartPairAsync(Protected(aliceDir, "pw"));
        string[] secrets = ["the launch code is 0000", "meet at the old mill", "bring the documents"];
        Assert.Equal(secrets[0], await SendAsync(alice, bob, secrets[0]));
        Assert.Equal(secrets[1], await SendAsync(bob, alice, secrets[1]));
        // Sent but never received: its skipped key is part of the saved state.
        await EncryptAsync(bob, alice.Info, "lost in transit");
        Assert.Equal(secrets[2], await SendAsync(bob, alice, secrets[2]));
        await StopAsync(alice);

        var sealedIdentity = File.ReadAllBytes(Path.Combine(aliceDir, KeyDirectory.IdentityFileName));
        var (salt, parameters) = SealedFile.ReadHeader(KeyDirectory.IdentityFileName, sealedIdentity);
        var privateKeys = SealedFile.Open(KeyDirectory.IdentityFileName, SealedFile.DeriveKey("pw"u8, salt, parameters), sealedIdentity);
        Assert.Equal(2 * IdentityKeys.PrivateKeySize, privateKeys.Length);
        var files = Directory.GetFiles(aliceDir, "*", SearchOption.AllDirectories);
        Assert.Contains(files, f => Path.GetFileName(f) == KeyDirectory.SessionsFileName);
        foreach (var file in files)
        {
            var bytes = File.ReadAllBytes(file);
            Assert.True(bytes.AsSpan().IndexOf(privateKeys.AsSpan(0, 32)) < 0, $"{file} holds the signing key");
            Assert.True(bytes.AsSpan().IndexOf(privateKeys.AsSpan(32, 32)) < 0, $"{file} holds the DH key");
            foreach (var text in secrets.Append("lost in transit"))
                Assert.True(bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(text)) < 0, $"{file} holds plaintext");
            Assert.True(bytes.AsSpan().IndexOf("ENSB"u8) < 0, $"{file} holds an unsealed session state");
        }
        Assert.True(SealedFile.LooksSealed(File.ReadAllBytes(Path.Combine(aliceDir, KeyDirectory.SessionsFileName))));
    }

    [Fact]
    public async Task A_key_directory_restored_from_an_old_copy_says_so_and_sets_up_a_new_session()
    {
        var aliceDir = NewDir();
        var (alice, bob) = await StartPairAsync(aliceDir);
        Assert.Equal("one", await SendAsync(alice, bob, "one"));
        Assert.Equal("two", await SendAsync(bob, alice, "two"));

        // An early copy (a backup), then the conversation moves on without it.
        var backup = NewDir();
        CopyDirectory(aliceDir, backup);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal($"alice {i}", await SendAsync(alice, bob, $"alice {i}"));
            Assert.Equal($"bob {i}", await SendAsync(bob, alice, $"bob {i}"));
        }
        await StopAsync(alice);

        var restored = await StartAsync("alice", backup);
        await MeetAsync(restored, bob.Info);
        var first = await EncryptAsync(bob, restored.Info, "can you read this?");
        restored.Ref.Tell(new CryptoAgent.Decrypt(first, bob.Info, 1));
        var failed = await ExpectMsgAsync<CryptoAgent.DecryptRejected>();
        Assert.Equal((ErrorCodes.DecryptFailed, 1UL), (failed.Code, failed.Ticket));

        var second = await EncryptAsync(bob, restored.Info, "hello??");
        restored.Ref.Tell(new CryptoAgent.Decrypt(second, bob.Info, 2));
        var reset = await ExpectMsgAsync<CryptoAgent.DecryptRejected>();
        Assert.Equal((CryptoAgent.SessionResetCode, 2UL, "bob"), (reset.Code, reset.Ticket, reset.From));
        Assert.Contains("messages from bob could not be read", reset.Reason, StringComparison.Ordinal);
        Assert.Contains("older than the conversation", reset.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("hello??", reset.Reason, StringComparison.Ordinal);

        // No second warning for the same reset.
        var third = await EncryptAsync(bob, restored.Info, "anyone?");
        restored.Ref.Tell(new CryptoAgent.Decrypt(third, bob.Info, 3));
        Assert.Equal(ErrorCodes.DecryptFailed, (await ExpectMsgAsync<CryptoAgent.DecryptRejected>()).Code);

        // Alice's next message starts a fresh session that bob reads, and bob answers on it.
        var fresh = await EncryptAsync(restored, bob.Info, "sorry, restored a backup");
        Assert.NotEqual(OrdinaryMessage, fresh.Ciphertext[1]);
        Assert.Equal("sorry, restored a backup", (await OpenAsync(bob, fresh, restored.Info)).Plaintext.Text);
        Assert.Equal("welcome back", await SendAsync(bob, restored, "welcome back"));
        Assert.Equal("thanks", await SendAsync(restored, bob, "thanks"));
    }

    [Fact]
    public async Task Messages_for_a_session_this_client_has_no_record_of_are_described_accurately()
    {
        var aliceDir = NewDir();
        var (alice, bob) = await StartPairAsync(aliceDir);
        Assert.Equal("one", await SendAsync(alice, bob, "one"));
        await StopAsync(alice);

        // Same identity, sessions lost: bob's replies (ordinary messages) belong to no session we hold.
        var lost = NewDir();
        Directory.CreateDirectory(lost);
        File.Copy(Path.Combine(aliceDir, KeyDirectory.IdentityFileName), Path.Combine(lost, KeyDirectory.IdentityFileName));
        var again = await StartAsync("alice", lost);
        await MeetAsync(again, bob.Info);
        // Bob still holds alice's old bundle (the relay has not told him of the new one yet).
        var reply = await EncryptAsync(bob, alice.Info, "secret reply");
        Assert.Equal(OrdinaryMessage, reply.Ciphertext[1]);
        again.Ref.Tell(new CryptoAgent.Decrypt(reply, bob.Info));

        var rejected = await ExpectMsgAsync<CryptoAgent.DecryptRejected>();
        Assert.Equal(ErrorCodes.DecryptFailed, rejected.Code);
        Assert.Contains("no record", rejected.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("secret reply", rejected.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("authentication", rejected.Reason, StringComparison.Ordinal);
    }

    private KeyDirectory Protected(string dir, string passphrase) => new(dir, passphrase, PassphraseParameters.Cheap);

    private async Task<MemberInfo> IdentityAsync(IActorRef agent)
    {
        agent.Tell(new CryptoAgent.GetIdentity());
        var info = await ExpectMsgAsync<CryptoAgent.IdentityInfo>();
        return new MemberInfo("?", info.Bundle);
    }

    private static Dictionary<string, byte[]> Snapshot(string dir) =>
        Directory.GetFiles(dir).ToDictionary(f => Path.GetFileName(f), File.ReadAllBytes);
}
