using Akka.Actor;
using Entice.Client.Keys;
using Entice.Tests.Support;
using Entice.Client;
using Entice.Wire;
using Xunit.Abstractions;

namespace Entice.Tests.Client;

/// <summary>
/// Issue 17: the disk off the keyboard-to-screen path. A sender answers an encrypt inside its saved send
/// reservation with no write at all; a receiver shows a message once its state is written, without waiting
/// for the flush to disk, except for an envelope the relay stored (its acknowledgement lets the relay delete
/// it), which waits for the flush. A crash (a new actor on a copy of the key files) never reuses a key.
/// </summary>
public sealed class CryptoAgentReservationSpecs(ITestOutputHelper output) : CryptoAgentTestKit(output)
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(30);

    /// <summary>A disk whose writes (or flushes) are counted and can be held.</summary>
    private sealed class Gate : IDisposable
    {
        private readonly ManualResetEventSlim _open = new(initialState: true);
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public void Close() => _open.Reset();

        public void Open() => _open.Set();

        public void Pass()
        {
            Interlocked.Increment(ref _count);
            _open.Wait(Long);
        }

        public void Dispose()
        {
            _open.Set();
            _open.Dispose();
        }
    }

    [Fact]
    public async Task Sends_inside_the_saved_reservation_leave_with_no_write_and_a_crash_after_them_reuses_no_key()
    {
        using var disk = new Gate();
        var (alice, bob) = await StartPairAsync(aliceOptions: new CryptoAgent.Options { BeforeKeyWrite = disk.Pass, SendReservation = 32 });
        Assert.Equal("first", await SendAsync(alice, bob, "first"));

        // The disk stops: ten messages still leave, and nothing was written for them.
        disk.Close();
        var writes = disk.Count;
        var sent = new List<Envelope>();
        for (var i = 0; i < 10; i++)
            sent.Add(await EncryptAsync(alice, bob.Info, $"m{i}"));
        Assert.Equal(writes, disk.Count);

        // Crash now: alice restarts from the files as they are, and resumes past every key she used.
        var copy = NewDir();
        CopyDirectory(alice.KeyDir, copy);
        disk.Open();
        var restarted = await StartAsync("alice", copy);
        await MeetAsync(restarted, bob.Info);
        var next = await EncryptAsync(restarted, bob.Info, "after the crash");
        Assert.Equal("after the crash", (await OpenAsync(bob, next, alice.Info)).Plaintext.Text);
        for (var i = 0; i < 10; i++)
            Assert.Equal($"m{i}", (await OpenAsync(bob, sent[i], alice.Info)).Plaintext.Text);
        var replay = Assert.IsType<CryptoAgent.DecryptRejected>(await DecryptAsync(bob, sent[3], alice.Info));
        Assert.Equal(ErrorCodes.Replay, replay.Code);
    }

    [Fact]
    public async Task Room_messages_inside_the_saved_sender_key_reservation_leave_with_no_write_and_a_crash_reuses_no_key()
    {
        using var disk = new Gate();
        var (alice, bob) = await StartPairAsync(aliceOptions: new CryptoAgent.Options { BeforeKeyWrite = disk.Pass, SendReservation = 32 });
        var (distributions, first) = await RoomSendAsync(alice, [bob.Info], "first");
        bob.Ref.Tell(new CryptoAgent.Decrypt(distributions.Single(), alice.Info));
        await ExpectMsgAsync<CryptoAgent.SenderKeyTaken>();
        Assert.Equal("first", await ReadRoomAsync(bob, first, alice.Info));

        disk.Close();
        var writes = disk.Count;
        var sent = new List<Envelope>();
        for (var i = 0; i < 10; i++)
        {
            var (none, message) = await RoomSendAsync(alice, [bob.Info], $"r{i}");
            Assert.Empty(none);
            sent.Add(message);
        }
        Assert.Equal(writes, disk.Count);

        var copy = NewDir();
        CopyDirectory(alice.KeyDir, copy);
        disk.Open();
        var restarted = await StartAsync("alice", copy);
        var (again, afterCrash) = await RoomSendAsync(restarted, [bob.Info], "after the crash");
        Assert.Empty(again); // the same sender key, resumed past the reservation
        var used = sent.Prepend(first).Select(SenderKeyIteration).ToList();
        Assert.True(SenderKeyIteration(afterCrash) > used.Max());
        Assert.Equal("after the crash", await ReadRoomAsync(bob, afterCrash, alice.Info));
        for (var i = 0; i < 10; i++)
            Assert.Equal($"r{i}", await ReadRoomAsync(bob, sent[i], alice.Info));
    }

    private async Task<string> ReadRoomAsync(Agent to, Envelope envelope, MemberInfo from)
    {
        to.Ref.Tell(new CryptoAgent.Decrypt(envelope, from, 0, [from]));
        return Assert.IsType<CryptoAgent.Decrypted>(await ExpectMsgAsync<object>(
            m => m is CryptoAgent.Decrypted or CryptoAgent.DecryptRejected or CryptoAgent.DecryptHeld, TimeSpan.FromSeconds(10))).Plaintext.Text;
    }

    // The room message header: 0x11 || key id (u32) || iteration (u32) || ...
    private static uint SenderKeyIteration(Envelope e) => System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(e.Ciphertext.AsSpan(5, 4));

    [Fact]
    public async Task A_message_is_shown_without_waiting_for_the_flush_but_a_stored_one_waits_for_it()
    {
        using var flush = new Gate();
        var (alice, bob) = await StartPairAsync();
        var bobLater = await StartAsync("bob2", options: new CryptoAgent.Options { BeforeKeySync = flush.Pass, KeySyncInterval = TimeSpan.FromMinutes(10) });
        await IntroduceAsync(alice, bobLater);
        Assert.Equal("hello", await SendAsync(alice, bobLater, "hello"));

        flush.Close();
        var live = await EncryptAsync(alice, bobLater.Info, "live");
        Assert.Equal("live", (await OpenAsync(bobLater, live, alice.Info)).Plaintext.Text);

        var stored = await EncryptAsync(alice, bobLater.Info, "stored");
        bobLater.Ref.Tell(new CryptoAgent.Decrypt(stored, alice.Info, 7) { Durable = true });
        await ExpectNoMsgAsync(TimeSpan.FromMilliseconds(300));
        flush.Open();
        var shown = await ExpectMsgAsync<CryptoAgent.Decrypted>(Long);
        Assert.Equal("stored", shown.Plaintext.Text);
        _ = bob;
    }

    [Fact]
    public async Task Writes_left_unflushed_are_flushed_in_the_background()
    {
        using var flush = new Gate();
        var alice = await StartAsync("alice");
        var bob = await StartAsync("bob", options: new CryptoAgent.Options { BeforeKeySync = flush.Pass, KeySyncInterval = TimeSpan.FromMilliseconds(100) });
        await IntroduceAsync(alice, bob);
        Assert.Equal("hello", await SendAsync(alice, bob, "hello"));
        var before = flush.Count;
        Assert.Equal("again", await SendAsync(alice, bob, "again"));
        await AwaitAssertAsync(() => Assert.True(flush.Count > before), Long);
    }
}
