using Akka.Actor;
using Akka.TestKit.Xunit2;
using Entice.Client;
using Entice.Client.Keys;
using Entice.Tests.Support;
using Entice.Wire;
using Xunit.Abstractions;

namespace Entice.Tests.Client;

/// <summary>
/// Issue 12: a room message is encrypted once with the sender key and leaves as ONE room-wide envelope,
/// whatever the room's size; direct messages stay pairwise.
/// </summary>
public sealed class RoomEnvelopeSpecs(ITestOutputHelper output) : TestKit("akka.loglevel = WARNING", output: output)
{
    [Theory]
    [InlineData(1)]
    [InlineData(40)]
    public async Task A_room_message_is_one_encryption_and_one_room_wide_envelope_whatever_the_room_size(int others)
    {
        using var h = new ChatHarness(this);
        var members = Enumerable.Range(1, others).Select(i => new TestIdentity($"m{i}")).ToList();
        try
        {
            await h.GiveIdentityAsync();
            await h.HandshakeAsync(1);
            Assert.Equal("lobby", (await h.SentAsync<JoinRoom>(1)).Room);
            h.FromServer(1, new RoomJoined("lobby", members.Select(m => m.Member).ToList()));
            var barrier = await h.SentAsync<Ping>(1);
            h.FromServer(1, new Pong(barrier.Nonce));
            await h.View.FishForMessageAsync<ReadyEvent>(_ => true);

            h.Chat.Tell(new ChatClient.Command(new UserCommand.Say("to everyone")));
            var request = await h.Crypto.FishForMessageAsync<object>(m => m is CryptoAgent.Encrypt or CryptoAgent.EncryptRoom);
            var room = Assert.IsType<CryptoAgent.EncryptRoom>(request);
            var chat = h.Crypto.LastSender;
            Assert.Equal(others, room.Members.Count);
            await Assert.ThrowsAnyAsync<Exception>(async () =>
                await h.Crypto.FishForMessageAsync<object>(m => m is CryptoAgent.Encrypt or CryptoAgent.EncryptRoom, TimeSpan.FromMilliseconds(300)));

            var wide = new Envelope("lobby", "alice", "", room.EnvelopeId, false, [1, 2, 3]);
            chat.Tell(new CryptoAgent.Encrypted(wide), h.Crypto.Ref);
            var sent = await h.SentAsync<Envelope>(1);
            Assert.Equal(("", room.EnvelopeId), (sent.Recipient, sent.Id));
            await Assert.ThrowsAnyAsync<Exception>(async () =>
                await h.Connection(1).FishForMessageAsync<Entice.Transport.ServerConnection.Send>(m => m.Message is Envelope, TimeSpan.FromMilliseconds(500)));

            // One acknowledgement settles it for every member.
            h.FromServer(1, new EnvelopeAck(room.EnvelopeId));
            Assert.Equal(others, (await h.View.FishForMessageAsync<SentEvent>(_ => true)).Recipients);
        }
        finally
        {
            members.ForEach(m => m.Dispose());
        }
    }

    [Fact]
    public async Task A_direct_message_stays_one_pairwise_encryption_to_its_recipient()
    {
        using var h = new ChatHarness(this);
        await h.AdmitAsync();
        h.Chat.Tell(new ChatClient.Command(new UserCommand.Direct("bob", "just you")));
        var request = await h.Crypto.FishForMessageAsync<object>(m => m is CryptoAgent.Encrypt or CryptoAgent.EncryptRoom);
        var direct = Assert.IsType<CryptoAgent.Encrypt>(request);
        Assert.Equal(("bob", true), (direct.Recipient.Name, direct.Direct));
    }

    [Fact]
    public async Task Room_messages_read_together_are_acknowledged_in_one_receipt_per_sender()
    {
        using var h = new ChatHarness(this);
        await h.AdmitAsync();
        for (ulong i = 1; i <= 3; i++)
            h.FromServer(1, new Envelope("lobby", "bob", "", 100 + i, false, [9, 9]));
        for (ulong i = 1; i <= 3; i++)
        {
            var decrypt = await h.Crypto.FishForMessageAsync<CryptoAgent.Decrypt>(_ => true);
            Assert.NotNull(decrypt.RoomMembers);
            h.Crypto.Reply(new CryptoAgent.Decrypted("lobby", "bob", false, new Entice.Crypto.Ratchet.ChatPlaintext(i, 0, $"line {i}"), decrypt.Ticket) { Conversation = "#lobby" });
        }
        var receipt = await h.Crypto.FishForMessageAsync<CryptoAgent.Encrypt>(_ => true);
        Assert.Equal(("bob", true), (receipt.Recipient.Name, receipt.Direct));
        Assert.Equal([101UL, 102UL, 103UL], receipt.ReceiptFor!);
        await Assert.ThrowsAnyAsync<Exception>(async () =>
            await h.Crypto.FishForMessageAsync<CryptoAgent.Encrypt>(_ => true, TimeSpan.FromMilliseconds(500)));
    }

    [Fact]
    public async Task While_a_senders_room_messages_keep_coming_they_are_acknowledged_at_most_once_per_interval()
    {
        // A burst: the first receipt goes after receipt-delay; the ones after it wait for the burst interval,
        // however many receipt-delays pass meanwhile (each receipt costs the sender a pairwise decrypt).
        using var h = new ChatHarness(this, s => s with { ReceiptDelay = TimeSpan.FromMilliseconds(50), ReceiptIntervalInBurst = TimeSpan.FromSeconds(4) });
        await h.AdmitAsync();
        await ReadAsync(h, 1);
        var first = await h.Crypto.FishForMessageAsync<CryptoAgent.Encrypt>(_ => true, TimeSpan.FromSeconds(15));
        Assert.Equal([101UL], first.ReceiptFor!);

        for (ulong i = 2; i <= 5; i++)
        {
            await ReadAsync(h, i);
            await Task.Delay(150); // three receipt-delays between two messages read
        }
        var next = await h.Crypto.FishForMessageAsync<CryptoAgent.Encrypt>(_ => true, TimeSpan.FromSeconds(20));
        Assert.Equal([102UL, 103UL, 104UL, 105UL], next.ReceiptFor!);
    }

    private static async Task ReadAsync(ChatHarness h, ulong i)
    {
        h.FromServer(1, new Envelope("lobby", "bob", "", 100 + i, false, [9, 9]));
        var decrypt = await h.Crypto.FishForMessageAsync<CryptoAgent.Decrypt>(_ => true);
        h.Crypto.Reply(new CryptoAgent.Decrypted("lobby", "bob", false, new Entice.Crypto.Ratchet.ChatPlaintext(i, 0, $"line {i}"), decrypt.Ticket) { Conversation = "#lobby" });
    }
}
