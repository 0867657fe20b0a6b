using Akka.Actor;
using Akka.TestKit.Xunit2;
using Entice.Client;
using Entice.Client.Keys;
using Entice.Crypto.Ratchet;
using Entice.Tests.Support;
using Entice.Transport;
using Entice.Wire;

namespace Entice.Tests.Client;

/// <summary>The chat actor alone: its connection and crypto actor are probes (<see cref="ChatHarness"/>).</summary>
public sealed class ChatClientActorSpecs : TestKit
{
    private readonly ChatHarness _h;

    public ChatClientActorSpecs() => _h = new ChatHarness(this);

    protected override void Dispose(bool disposing)
    {
        _h.Dispose();
        base.Dispose(disposing);
    }

    [Fact]
    public async Task A_line_typed_before_the_first_roster_is_complete_waits_for_it_then_goes_to_everyone()
    {
        await _h.GiveIdentityAsync();
        _h.Chat.Tell(new ChatClient.UserLine("typed early"));
        await _h.HandshakeAsync(1);
        Assert.Equal("lobby", (await _h.SentAsync<JoinRoom>(1)).Room);
        _h.FromServer(1, new RoomJoined("lobby", [_h.Bob.Member]));
        var barrier = await _h.SentAsync<Ping>(1);
        await _h.Crypto.FishForMessageAsync<CryptoAgent.ObservePeer>(_ => true);
        await _h.Crypto.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(300)); // away members may still be announced

        _h.FromServer(1, new Pong(barrier.Nonce));
        var encrypt = await _h.Crypto.ExpectMsgAsync<CryptoAgent.EncryptRoom>();
        Assert.Equal(("bob", "lobby", "typed early"), (Assert.Single(encrypt.Members).Name, encrypt.Room, encrypt.Text));
    }

    [Fact]
    public async Task A_dropped_connection_is_reported_then_reconnected_every_room_rejoined_and_what_was_typed_meanwhile_sent()
    {
        await _h.AdmitAsync();
        _h.Connection(1).Send(_h.Chat, new ServerConnection.Disconnected("the server closed the connection", Requested: false));
        Assert.Equal("the server closed the connection", (await _h.View.ExpectMsgAsync<DisconnectedEvent>()).Reason);
        _h.Chat.Tell(new ChatClient.Command(new UserCommand.Say("while away")));
        var envelope = await _h.EncryptNextAsync();

        await _h.HandshakeAsync(2);
        await _h.View.ExpectMsgAsync<ReconnectedEvent>();
        await _h.JoinAsync(2);
        Assert.Equal(envelope.Id, (await _h.SentAsync<Envelope>(2)).Id);
    }

    [Fact]
    public async Task The_end_of_input_sends_goodbye_only_once_every_envelope_is_acknowledged_then_exits_zero()
    {
        await _h.AdmitAsync();
        _h.Chat.Tell(new ChatClient.UserLine("last words"));
        var envelope = await _h.EncryptNextAsync();
        Assert.Equal(envelope.Id, (await _h.SentAsync<Envelope>(1)).Id);
        _h.Chat.Tell(new ChatClient.EndOfInput());
        await _h.Connection(1).ExpectNoMsgAsync(TimeSpan.FromMilliseconds(300));

        _h.FromServer(1, new EnvelopeAck(envelope.Id));
        await _h.SentAsync<Goodbye>(1);
        Assert.Equal(1, (await _h.View.ExpectMsgAsync<SentEvent>()).Recipients);
        _h.FromServer(1, new GoodbyeAck());
        Assert.Equal(0, (await _h.View.ExpectMsgAsync<StoppedEvent>()).ExitCode);
    }

    [Fact]
    public async Task A_newcomer_whose_keys_are_checked_after_the_goodbye_is_answered_is_waited_for_and_the_client_exits_zero()
    {
        await StopWhileCarolsKeysAreCheckedAsync(_h);

        // The pin is saved and answered only now, while the client is stopping (the discovery run's hang).
        _h.Chat.Tell(new CryptoAgent.PeerObserved("carol", PeerKeyStatus.New), _h.Crypto.Ref);
        Assert.Equal(0, (await _h.View.FishForMessageAsync<StoppedEvent>(_ => true, TimeSpan.FromSeconds(10))).ExitCode);
    }

    [Fact]
    public async Task A_place_the_crypto_actor_never_fills_keeps_the_stopping_client_no_longer_than_the_drain_timeout()
    {
        using var kit = new ChatHarness(this, s => s with { DrainTimeout = TimeSpan.FromSeconds(1) }, "chat-2");
        await StopWhileCarolsKeysAreCheckedAsync(kit);

        // No answer ever comes: the client still ends, with the code the goodbye earned.
        Assert.Equal(0, (await kit.View.FishForMessageAsync<StoppedEvent>(_ => true, TimeSpan.FromSeconds(10))).ExitCode);
    }

    // Carol joins (her keys go to the crypto actor, her line waits for the answer), the input ends and the
    // server answers the goodbye: the client is stopping with a place on screen still reserved.
    private static async Task StopWhileCarolsKeysAreCheckedAsync(ChatHarness h)
    {
        await h.AdmitAsync();
        using var carol = new TestIdentity("carol");
        h.FromServer(1, new MemberJoined("lobby", carol.Member));
        await h.Crypto.FishForMessageAsync<CryptoAgent.ObservePeer>(o => o.Peer.Name == "carol");
        h.Chat.Tell(new ChatClient.EndOfInput());
        await h.SentAsync<Goodbye>(1);
        h.FromServer(1, new GoodbyeAck());
    }

    [Fact]
    public async Task A_message_read_is_answered_with_an_encrypted_receipt_to_its_sender_alone()
    {
        await _h.AdmitAsync();
        _h.FromServer(1, new Envelope("lobby", "bob", "alice", 42, false, [9, 9]));
        var decrypt = await _h.Crypto.FishForMessageAsync<CryptoAgent.Decrypt>(_ => true);
        _h.Crypto.Reply(new CryptoAgent.Decrypted("lobby", "bob", false, new ChatPlaintext(1, 0, "hi alice"), decrypt.Ticket));

        Assert.Equal("hi alice", (await _h.View.ExpectMsgAsync<MessageEvent>()).Text);
        var receipt = await _h.Crypto.FishForMessageAsync<CryptoAgent.Encrypt>(_ => true);
        Assert.Equal(("bob", true, ""), (receipt.Recipient.Name, receipt.Direct, receipt.Text));
        Assert.Equal([42UL], receipt.ReceiptFor!);
    }

    [Fact]
    public async Task An_undecryptable_envelope_is_an_error_and_the_next_message_still_shows()
    {
        await _h.AdmitAsync();
        _h.FromServer(1, new Envelope("lobby", "bob", "alice", 7, false, [1]));
        _h.FromServer(1, new Envelope("lobby", "bob", "alice", 8, false, [2]));
        var first = await _h.Crypto.FishForMessageAsync<CryptoAgent.Decrypt>(_ => true);
        var second = await _h.Crypto.FishForMessageAsync<CryptoAgent.Decrypt>(_ => true);
        // Answered out of order: the screen still shows them in the order the server sent them.
        _h.Crypto.Reply(new CryptoAgent.Decrypted("lobby", "bob", false, new ChatPlaintext(5, 0, "still here"), second.Ticket));
        _h.Crypto.Reply(new CryptoAgent.DecryptRejected("bob", ErrorCodes.DecryptFailed, "tampered", first.Ticket));

        Assert.Equal(ErrorCodes.DecryptFailed, (await _h.View.ExpectMsgAsync<ErrorEvent>()).Code);
        Assert.Equal("still here", (await _h.View.ExpectMsgAsync<MessageEvent>()).Text);
    }

    [Fact]
    public async Task A_second_copy_of_a_sender_key_handed_over_is_a_quiet_replay_not_an_error()
    {
        // Copies of one envelope arrive when its sender resends after a reconnect, or across nodes in
        // the cluster's gossip window; a sender's key for a room is such an envelope too.
        await _h.AdmitAsync();
        _h.FromServer(1, new Envelope("lobby", "bob", "alice", 77, false, [3]));
        var first = await _h.Crypto.FishForMessageAsync<CryptoAgent.Decrypt>(_ => true);
        _h.Crypto.Reply(new CryptoAgent.SenderKeyTaken("bob", "lobby", first.Ticket));
        _h.FromServer(1, new Envelope("lobby", "bob", "alice", 77, false, [3]));
        var copy = await _h.Crypto.FishForMessageAsync<CryptoAgent.Decrypt>(_ => true);
        _h.Crypto.Reply(new CryptoAgent.DecryptRejected("bob", ErrorCodes.Replay, "a replay", copy.Ticket));
        _h.FromServer(1, new Envelope("lobby", "bob", "alice", 78, false, [4]));
        var next = await _h.Crypto.FishForMessageAsync<CryptoAgent.Decrypt>(_ => true);
        _h.Crypto.Reply(new CryptoAgent.Decrypted("lobby", "bob", false, new ChatPlaintext(1, 0, "after the key"), next.Ticket));

        // The next thing on screen is bob's message: no replay error before it.
        Assert.Equal("after the key", (await _h.View.FishForMessageAsync<ChatEvent>(e => e is MessageEvent or ErrorEvent) as MessageEvent)?.Text);
    }

    [Fact]
    public async Task A_drop_after_goodbye_reconnects_and_says_goodbye_again()
    {
        await _h.AdmitAsync();
        _h.Chat.Tell(new ChatClient.EndOfInput());
        await _h.SentAsync<Goodbye>(1);
        _h.Connection(1).Send(_h.Chat, new ServerConnection.Disconnected("connection lost", Requested: false));

        await _h.HandshakeAsync(2);
        await _h.JoinAsync(2);
        await _h.SentAsync<Goodbye>(2);
        _h.FromServer(2, new GoodbyeAck());
        await _h.View.FishForMessageAsync<StoppedEvent>(s => s.ExitCode == 0);
    }
}
