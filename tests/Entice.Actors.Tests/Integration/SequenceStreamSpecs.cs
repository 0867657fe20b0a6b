using Entice.Client;
using Entice.Tests.Support;

namespace Entice.Tests.Integration;

/// <summary>
/// Receivers number each sender's messages per conversation (a room, or the direct conversation of two)
/// and report a gap only where one of them is really missing. Receipts carry no number, and a direct
/// message between two room messages is another conversation: neither may look like a lost message.
/// </summary>
public sealed class SequenceStreamSpecs : IAsyncLifetime
{
    // A short wait for missing messages, so a false gap would show within the spec's drain.
    private const string QuickGaps = "entice.client.reorder-wait = 1s";

    private readonly TestNodes _nodes = new();
    private System.Net.IPEndPoint _endpoint = null!;

    public async Task InitializeAsync()
    {
        (_, _endpoint) = await _nodes.ServerAsync();
    }

    public Task DisposeAsync() => _nodes.DisposeAsync().AsTask();

    [Fact]
    public async Task Receipts_and_direct_messages_between_room_messages_are_no_gap()
    {
        var alice = await _nodes.Client("alice", _endpoint, config: QuickGaps).ReadyAsync();
        var bob = await _nodes.Client("bob", _endpoint, config: QuickGaps).ReadyAsync();
        await alice.View.NextAsync<MemberJoinedEvent>(j => j.Name == "bob");

        bob.Type("one");
        bob.Type("one more");
        Assert.Equal(["one", "one more"], await alice.View.TextsAsync(2));
        alice.Type("hi bob"); // bob's client answers with a receipt
        Assert.Equal("hi bob", (await bob.View.NextAsync<MessageEvent>()).Text);
        await alice.View.NextAsync<DeliveredEvent>();
        bob.Type("/msg alice just us");
        Assert.Equal("just us", (await alice.View.NextAsync<MessageEvent>()).Text);
        bob.Type("two");

        Assert.Equal("two", (await alice.View.NextAsync<MessageEvent>()).Text);
        Assert.DoesNotContain(await alice.View.DrainAsync(TimeSpan.FromSeconds(2)), e => e is GapEvent);
        Assert.DoesNotContain(nameof(GapEvent), alice.View.Seen, StringComparison.Ordinal);
    }
}
