using Entice.Client;
using Entice.Tests.Support;
using Entice.Wire;

namespace Entice.Tests.Hostile;

/// <summary>
/// Attack 7 of issue 10 (the crypto part): the envelope id was not authenticated and the client dropped
/// "copies" by id before decrypting, so a relay that gave a new message the id of one already shown made it
/// vanish without a trace. Now the id is bound into the ciphertext's associated data and copies are dropped
/// only after decrypting: a rewritten id fails to decrypt, visibly, and the messages after it are shown.
/// </summary>
public sealed class Attack07IdRewriteSpecs : IAsyncDisposable
{
    private readonly TestNodes _nodes = new();

    [Fact]
    public async Task A_message_whose_id_the_relay_rewrote_to_an_old_one_is_reported_not_silently_dropped()
    {
        await using var relay = new FakeRelay();
        using var alice = new HonestPeer("alice");
        var bob = _nodes.Client("bob", relay.Endpoint);
        var room = await relay.AdmitAsync(alice.Member);
        await bob.ReadyAsync();
        await relay.SendAsync(alice.Message(relay.Client, "first", 5));
        Assert.Equal("first", (await bob.View.NextAsync<MessageEvent>()).Text);

        var second = alice.Message(relay.Client, "second", 6);
        await relay.SendAsync(second with { Id = 5 }); // looks like a copy of "first"

        var error = await bob.View.NextAsync<ErrorEvent>(e => e.Message.Contains("alice", StringComparison.Ordinal));
        Assert.Equal(ErrorCodes.DecryptFailed, error.Code);
        // A genuine copy of "first" (the same id, the same ciphertext) stays a quiet copy, and later messages show.
        await relay.SendAsync(alice.Message(relay.Client, "third", 7));
        // "third" comes after a sequence number that never decrypted: it is shown once the reorder wait
        // (5 s by default) gives up on "second", so the wait here allows for that on a loaded machine.
        Assert.Equal("third", (await bob.View.NextAsync<MessageEvent>(timeout: TimeSpan.FromSeconds(60))).Text);
    }

    public ValueTask DisposeAsync() => _nodes.DisposeAsync();
}
