using Akka.TestKit.Xunit2;
using Entice.Client.Keys;
using Entice.Crypto.Ratchet;
using Entice.Wire;

namespace Entice.Tests.Client;

/// <summary>
/// Issue 17: a received message is shown once its state is written, not flushed; but an envelope the relay
/// stored for us is acknowledged (StoredAck: the relay deletes it) only after a decrypt the crypto actor
/// answers once the state is flushed to disk, so a power cut can never lose it.
/// </summary>
public sealed class StoredEnvelopeDurabilitySpecs : TestKit
{
    private readonly ChatHarness _h;

    public StoredEnvelopeDurabilitySpecs() => _h = new ChatHarness(this);

    protected override void Dispose(bool disposing)
    {
        _h.Dispose();
        base.Dispose(disposing);
    }

    [Fact]
    public async Task A_stored_envelope_asks_for_a_flushed_save_and_is_acknowledged_after_it_a_live_one_does_not_ask()
    {
        await _h.AdmitAsync();
        _h.FromServer(1, new Envelope("lobby", "bob", "alice", 42, false, [9, 9]));
        var live = await _h.Crypto.FishForMessageAsync<CryptoAgent.Decrypt>(_ => true);
        Assert.False(live.Durable);

        _h.FromServer(1, new StoredEnvelope(7, new Envelope("lobby", "bob", "alice", 43, false, [8, 8])));
        var stored = await _h.Crypto.FishForMessageAsync<CryptoAgent.Decrypt>(_ => true);
        Assert.True(stored.Durable);
        Assert.Equal(43UL, stored.Envelope.Id);

        _h.Crypto.Reply(new CryptoAgent.Decrypted("lobby", "bob", false, new ChatPlaintext(2, 0, "kept for you"), stored.Ticket));
        Assert.Equal(7UL, (await _h.SentAsync<StoredAck>(1)).Seq);
    }
}
