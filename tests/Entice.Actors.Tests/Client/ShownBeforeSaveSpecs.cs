using Akka.Actor;
using Akka.TestKit.Xunit2;
using Entice.Client;
using Entice.Client.Keys;
using Entice.Crypto.Ratchet;
using Entice.Wire;

namespace Entice.Tests.Client;

/// <summary>
/// Issue 17 (two people under 5 ms): a live message is shown as soon as the crypto actor has decrypted it, before
/// its new key state is written; the receipt that tells the sender it was read leaves only once that state is
/// written (<see cref="CryptoAgent.DecryptSaved"/>), and end of input waits for such a receipt.
/// </summary>
public sealed class ShownBeforeSaveSpecs : TestKit
{
    private readonly ChatHarness _h;

    public ShownBeforeSaveSpecs() => _h = new ChatHarness(this);

    protected override void Dispose(bool disposing)
    {
        _h.Dispose();
        base.Dispose(disposing);
    }

    [Fact]
    public async Task A_message_shown_before_its_save_is_receipted_only_after_the_save()
    {
        await _h.AdmitAsync();
        _h.FromServer(1, new Envelope("lobby", "bob", "alice", 42, true, [9, 9]));
        var decrypt = await _h.Crypto.FishForMessageAsync<CryptoAgent.Decrypt>(_ => true);
        _h.Crypto.Reply(new CryptoAgent.Decrypted("lobby", "bob", true, new ChatPlaintext(1, 0, "hi alice"), decrypt.Ticket) { Saved = false });

        Assert.Equal("hi alice", (await _h.View.ExpectMsgAsync<MessageEvent>()).Text);
        // Shown, but nobody is told it was read while a crash could still lose its new state.
        await _h.Crypto.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(300));

        _h.Crypto.Send(_h.Chat, new CryptoAgent.DecryptSaved(decrypt.Ticket));
        var receipt = await _h.Crypto.FishForMessageAsync<CryptoAgent.Encrypt>(_ => true);
        Assert.Equal([42UL], receipt.ReceiptFor!);
    }

    [Fact]
    public async Task End_of_input_sends_a_receipt_waiting_for_its_save_before_the_goodbye()
    {
        await _h.AdmitAsync();
        _h.FromServer(1, new Envelope("lobby", "bob", "alice", 42, true, [9, 9]));
        var decrypt = await _h.Crypto.FishForMessageAsync<CryptoAgent.Decrypt>(_ => true);
        _h.Crypto.Reply(new CryptoAgent.Decrypted("lobby", "bob", true, new ChatPlaintext(1, 0, "bye soon"), decrypt.Ticket) { Saved = false });
        await _h.View.ExpectMsgAsync<MessageEvent>();
        _h.Chat.Tell(new ChatClient.EndOfInput());
        await _h.Connection(1).ExpectNoMsgAsync(TimeSpan.FromMilliseconds(300));

        _h.Crypto.Send(_h.Chat, new CryptoAgent.DecryptSaved(decrypt.Ticket));
        var receipt = await _h.Crypto.FishForMessageAsync<CryptoAgent.Encrypt>(_ => true);
        _h.Crypto.Reply(new CryptoAgent.Encrypted(new Envelope("lobby", "alice", "bob", receipt.EnvelopeId, true, [1])));
        var sent = await _h.SentAsync<Envelope>(1);
        _h.FromServer(1, new EnvelopeAck(sent.Id));
        await _h.SentAsync<Goodbye>(1);
    }
}
