using Akka.Actor;
using Entice.Client.Keys;
using Entice.Crypto.Identity;
using Entice.Crypto.Storage;
using Entice.Tests.Support;
using Entice.Wire;
using Xunit.Abstractions;

namespace Entice.Tests.Client;

/// <summary>
/// Issue 16: the crypto actor's key-file writes run on its key writer, off its thread, and every answer still
/// waits for the save of the state that produced it. A crash at the moment an answer arrives (simulated by
/// copying the key directory then, and starting a new crypto actor from the copy) never reuses a message key
/// nor shows a message twice, even when the disk is slow.
/// </summary>
public sealed class CryptoAgentSaveSpecs(ITestOutputHelper output) : CryptoAgentTestKit(output)
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(30);

    /// <summary>A disk that can be stopped: writes wait while it is closed.</summary>
    private sealed class SlowDisk : IDisposable
    {
        private readonly ManualResetEventSlim _open = new(initialState: true);
        private int _writes;

        public int Writes => Volatile.Read(ref _writes);

        // Every message saved before it leaves (no send reservation): what these specs check is the write machinery.
        public CryptoAgent.Options Options => new() { BeforeKeyWrite = Write, SendReservation = 0, ShowBeforeSave = true };

        public void Close() => _open.Reset();

        public void Open() => _open.Set();

        public void Dispose()
        {
            _open.Set();
            _open.Dispose();
        }

        private void Write()
        {
            Interlocked.Increment(ref _writes);
            _open.Wait(Long);
        }
    }

    [Fact]
    public async Task No_answer_leaves_before_its_save_and_a_stalled_disk_does_not_stop_the_actor_from_working()
    {
        using var disk = new SlowDisk();
        var (alice, bob) = await StartPairAsync(aliceOptions: disk.Options);
        Assert.Equal("first", await SendAsync(alice, bob, "first"));
        var sessionsFile = Path.Combine(alice.KeyDir, KeyDirectory.SessionsFileName);
        var before = await File.ReadAllBytesAsync(sessionsFile);

        disk.Close();
        for (var i = 0; i < 20; i++)
            alice.Ref.Tell(new CryptoAgent.Encrypt(bob.Info, "lobby", false, $"m{i}", 100UL + (ulong)i));
        await ExpectNoMsgAsync(TimeSpan.FromMilliseconds(500));
        Assert.Equal(before, await File.ReadAllBytesAsync(sessionsFile));
        var writesWhileClosed = disk.Writes;

        disk.Open();
        var first = await ExpectMsgAsync<CryptoAgent.Encrypted>(Long);
        // The answer came after the write of the state that produced it.
        Assert.NotEqual(before, await File.ReadAllBytesAsync(sessionsFile));
        var envelopes = new List<Envelope> { first.Envelope };
        for (var i = 1; i < 20; i++)
            envelopes.Add((await ExpectMsgAsync<CryptoAgent.Encrypted>(Long)).Envelope);
        Assert.Equal(Enumerable.Range(0, 20).Select(i => 100UL + (ulong)i), envelopes.Select(e => e.Id));
        // Twenty messages, at most two writes: the stalled one and one for everything handled meanwhile.
        Assert.InRange(disk.Writes - writesWhileClosed + 1, 1, 2);
        for (var i = 0; i < 20; i++)
            Assert.Equal($"m{i}", (await OpenAsync(bob, envelopes[i], alice.Info)).Plaintext.Text);
    }

    [Fact]
    public async Task A_crash_right_after_an_answer_never_shows_a_message_twice_nor_reuses_a_message_key()
    {
        using var bobDisk = new SlowDisk();
        using var aliceDisk = new SlowDisk();
        var alice = await StartAsync("alice", options: aliceDisk.Options);
        var bob = await StartAsync("bob", options: bobDisk.Options);
        await IntroduceAsync(alice, bob);
        Assert.Equal("hello", await SendAsync(alice, bob, "hello"));

        // Bob's disk is slow: a live message is shown at once, but that it was read (DecryptSaved, which lets the
        // chat actor send its receipt) comes only once the state that opened it is saved.
        var shown = await EncryptAsync(alice, bob.Info, "shown once");
        bobDisk.Close();
        bob.Ref.Tell(new CryptoAgent.Decrypt(shown, alice.Info, 1));
        var early = await ExpectMsgAsync<CryptoAgent.Decrypted>(Long);
        Assert.Equal(("shown once", false), (early.Plaintext.Text, early.Saved));
        await ExpectNoMsgAsync(TimeSpan.FromMilliseconds(300));
        bobDisk.Open();
        Assert.Equal(1UL, (await ExpectMsgAsync<CryptoAgent.DecryptSaved>(Long)).Ticket);
        var bobAfterCrash = await StartAsync("bob", CrashCopy(bob.KeyDir));
        await MeetAsync(bobAfterCrash, alice.Info);
        var again = Assert.IsType<CryptoAgent.DecryptRejected>(await DecryptAsync(bobAfterCrash, shown, alice.Info));
        Assert.Equal(ErrorCodes.Replay, again.Code);

        // Alice's disk is slow: a crash right after Encrypted must not send the next message on the same key.
        aliceDisk.Close();
        alice.Ref.Tell(new CryptoAgent.Encrypt(bob.Info, "lobby", false, "sent", 500));
        await ExpectNoMsgAsync(TimeSpan.FromMilliseconds(300));
        aliceDisk.Open();
        var sent = (await ExpectMsgAsync<CryptoAgent.Encrypted>(Long)).Envelope;
        var aliceAfterCrash = await StartAsync("alice", CrashCopy(alice.KeyDir));
        await MeetAsync(aliceAfterCrash, bob.Info);
        var next = await EncryptAsync(aliceAfterCrash, bob.Info, "after the crash");
        Assert.Equal("sent", (await OpenAsync(bobAfterCrash, sent, alice.Info)).Plaintext.Text);
        Assert.Equal("after the crash", (await OpenAsync(bobAfterCrash, next, alice.Info)).Plaintext.Text);
    }

    [Fact]
    public async Task A_live_message_is_not_shown_before_an_earlier_one_still_waiting_for_a_slow_durable_save()
    {
        using var bobDisk = new SlowDisk();
        var alice = await StartAsync("alice");
        var bob = await StartAsync("bob", options: bobDisk.Options);
        await IntroduceAsync(alice, bob);
        Assert.Equal("hello", await SendAsync(alice, bob, "hello"));
        var stored = await EncryptAsync(alice, bob.Info, "kept while away");
        var live = await EncryptAsync(alice, bob.Info, "live");

        // The stored envelope's answer waits for a durable write, which the disk holds up; the live one comes meanwhile.
        bobDisk.Close();
        bob.Ref.Tell(new CryptoAgent.Decrypt(stored, alice.Info, 1) { Durable = true });
        await ExpectNoMsgAsync(TimeSpan.FromMilliseconds(300));
        bob.Ref.Tell(new CryptoAgent.Decrypt(live, alice.Info, 2));
        await ExpectNoMsgAsync(TimeSpan.FromMilliseconds(300));

        bobDisk.Open();
        Assert.Equal((1UL, "kept while away"), await NextDecryptedAsync());
        Assert.Equal((2UL, "live"), await NextDecryptedAsync());

        async Task<(ulong, string)> NextDecryptedAsync()
        {
            var d = await FishForMessageAsync<CryptoAgent.Decrypted>(_ => true, Long);
            return (d.Ticket, d.Plaintext.Text);
        }
    }

    [Fact]
    public async Task A_pin_answer_waits_for_its_append_and_a_crash_right_after_it_finds_the_pin_in_the_log()
    {
        using var disk = new SlowDisk();
        var alice = await StartAsync("alice", options: disk.Options);
        var carol = await StartAsync("carol");
        var carolKeys = PublicIdentity.FromBundle(carol.Info.Identity);

        // First contact: the pin is new; the answer that says so waits until the append is on disk.
        disk.Close();
        alice.Ref.Tell(new CryptoAgent.ObservePeer(carol.Info));
        await ExpectNoMsgAsync(TimeSpan.FromMilliseconds(300));
        Assert.Equal(PinStatus.New, PinsAfterCrash(alice).Check("carol", carolKeys));
        // Memory is updated at once: a later request sees the pin (and its answer queues behind the same write).
        alice.Ref.Tell(new CryptoAgent.ObservePeer(carol.Info));
        disk.Open();
        Assert.Equal(PeerKeyStatus.New, (await ExpectMsgAsync<CryptoAgent.PeerObserved>(Long)).Status);
        Assert.Equal(PinStatus.Same, PinsAfterCrash(alice).Check("carol", carolKeys));
        Assert.Equal(PeerKeyStatus.Known, (await ExpectMsgAsync<CryptoAgent.PeerObserved>(Long)).Status);

        // Verification: recorded only once durable.
        disk.Close();
        alice.Ref.Tell(new CryptoAgent.MarkVerified(carol.Info));
        await ExpectNoMsgAsync(TimeSpan.FromMilliseconds(300));
        Assert.False(PinsAfterCrash(alice).IsVerified("carol"));
        disk.Open();
        await ExpectMsgAsync<CryptoAgent.VerificationRecorded>(Long);
        Assert.True(PinsAfterCrash(alice).IsVerified("carol"));

        // A new key for carol, then trust: the trusted key is in the log before TrustAccepted leaves.
        var newCarol = await StartAsync("carol");
        var newKeys = PublicIdentity.FromBundle(newCarol.Info.Identity);
        Assert.Equal(PeerKeyStatus.Changed, (await MeetAsync(alice, newCarol.Info)).Status);
        disk.Close();
        alice.Ref.Tell(new CryptoAgent.Trust(newCarol.Info));
        await ExpectNoMsgAsync(TimeSpan.FromMilliseconds(300));
        Assert.Equal(PinStatus.Changed, PinsAfterCrash(alice).Check("carol", newKeys));
        disk.Open();
        await ExpectMsgAsync<CryptoAgent.TrustAccepted>(Long);
        Assert.Equal(PinStatus.Same, PinsAfterCrash(alice).Check("carol", newKeys));

        // The log stays well-formed across the queued appends: a restarted actor knows carol's trusted key.
        await StopAsync(alice);
        var restarted = await StartAsync("alice", alice.KeyDir);
        Assert.Equal(PeerKeyStatus.Known, (await MeetAsync(restarted, newCarol.Info)).Status);
    }

    /// <summary>The pins a crash at this instant would leave on disk.</summary>
    private PinStore PinsAfterCrash(Agent agent) => new KeyDirectory(CrashCopy(agent.KeyDir)).Pins;

    /// <summary>What a crash at this instant leaves: the key directory's files as they are now, in a new directory.</summary>
    private string CrashCopy(string keyDir)
    {
        var copy = NewDir();
        CopyDirectory(keyDir, copy);
        return copy;
    }
}
