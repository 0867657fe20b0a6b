using Entice.Client;
using Entice.Tests.Support;
using Entice.Wire;

namespace Entice.Tests.Hostile;

/// <summary>
/// Attack 4 of issue 10: two garbage envelopes "from erin" (the relay, or anyone between it and the victim,
/// can write them) made the victim drop its sessions with erin, and erin's next genuine messages were then
/// called replays and lost. Now unauthenticated failures drop nothing: they only make the victim's next
/// message to erin start a new session, and erin's messages keep being shown.
/// </summary>
public sealed class Attack04ForcedResetSpecs : IAsyncDisposable
{
    private readonly TestNodes _nodes = new();

    [Fact]
    public async Task Garbage_from_erin_does_not_reset_anything_and_her_next_messages_are_shown()
    {
        await using var relay = new FakeRelay();
        using var erin = new HonestPeer("erin");
        var bob = _nodes.Client("bob", relay.Endpoint);
        var room = await relay.AdmitAsync(erin.Member);
        await bob.ReadyAsync();
        await relay.SendAsync(erin.Message(relay.Client, "hi bob", 1));
        Assert.Equal("hi bob", (await bob.View.NextAsync<MessageEvent>()).Text);

        // Two (then more) garbage envelopes "from erin": a session nobody has, and a forged session start.
        await relay.SendAsync(new Envelope(room, "erin", "bob", 2, false, ForgedCiphertexts.OrdinaryMessage()));
        await relay.SendAsync(new Envelope(room, "erin", "bob", 3, false, ForgedCiphertexts.OrdinaryMessage(5)));
        await relay.SendAsync(new Envelope(room, "erin", "bob", 4, false, ForgedCiphertexts.PrekeyMessage(relay.ClientHello.Identity.PrekeyId, 0)));

        await relay.SendAsync(erin.Message(relay.Client, "still me", 5));
        await relay.SendAsync(erin.Message(relay.Client, "and again", 6));

        Assert.Equal(["still me", "and again"], await bob.View.TextsAsync(2));
        Assert.DoesNotContain(bob.View.Seen.Split(", "), e => e.Contains(ErrorCodes.Replay, StringComparison.Ordinal));
    }

    public ValueTask DisposeAsync() => _nodes.DisposeAsync();
}
