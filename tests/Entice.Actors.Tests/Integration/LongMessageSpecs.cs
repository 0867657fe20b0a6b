using Entice.Client;
using Entice.Server;
using Entice.Tests.Support;
using Entice.Wire;

namespace Entice.Tests.Integration;

/// <summary>
/// Issue 11 item 2: a message longer than a frame travels as encrypted fragments and shows as one; one
/// beyond the maximum is one error and the lines after it still go; nothing the server refused as too
/// large is ever sent again.
/// </summary>
public sealed class LongMessageSpecs : IAsyncDisposable
{
    private readonly TestNodes _nodes = new();

    [Fact]
    public async Task A_100_KB_and_a_1_MiB_message_arrive_whole_as_one_message_each()
    {
        var (alice, bob, carol) = await RoomOfThreeAsync(new ServerSettings());
        var hundred = Text(100_000, 'a');
        var mebi = Text(1024 * 1024, 'b');

        alice.Type(hundred);
        alice.Type(mebi);
        alice.Type("after");

        foreach (var receiver in new[] { bob, carol })
        {
            var texts = await receiver.View.TextsAsync(3, TimeSpan.FromSeconds(60));
            Assert.True(texts[0] == hundred, $"the 100 KB message came back as {texts[0].Length} chars");
            Assert.True(texts[1] == mebi, $"the 1 MiB message came back as {texts[1].Length} chars");
            Assert.Equal("after", texts[2]);
        }
        // Sent once per typed line, to both; delivered once per recipient, not once per fragment.
        Assert.Equal(2, (await alice.View.NextAsync<SentEvent>()).Recipients);
        var delivered = new List<DeliveredEvent>();
        for (var i = 0; i < 6; i++)
            delivered.Add(await alice.View.NextAsync<DeliveredEvent>(timeout: TimeSpan.FromSeconds(30)));
        Assert.DoesNotContain(await alice.View.DrainAsync(TimeSpan.FromSeconds(1)), e => e is DeliveredEvent or ErrorEvent);
    }

    [Fact]
    public async Task A_message_beyond_the_maximum_is_one_error_naming_the_limit_and_the_next_line_still_goes()
    {
        var (alice, bob, _) = await RoomOfThreeAsync(new ServerSettings());

        alice.Type(Text(1024 * 1024 + 1, 'c'));
        alice.Type("after");

        var error = await alice.View.NextAsync<ErrorEvent>();
        Assert.Equal(ErrorCodes.MessageTooLong, error.Code);
        Assert.Contains("1 MiB", error.Message, StringComparison.Ordinal);
        Assert.Equal(["after"], await bob.View.TextsAsync(1));
        Assert.DoesNotContain(await alice.View.DrainAsync(TimeSpan.FromSeconds(1)), e => e is ErrorEvent or DisconnectedEvent);
    }

    [Fact]
    public async Task An_envelope_the_server_refuses_as_too_large_is_not_sent_again_and_the_next_line_goes()
    {
        // The server takes smaller frames than this client's fragments: the first envelope is refused.
        var (alice, bob, carol) = await RoomOfThreeAsync(new ServerSettings { MaxFrameSize = 16 * 1024 });

        alice.Type(Text(20_000, 'd'));
        alice.Type("after big");

        Assert.Equal(["after big"], await bob.View.TextsAsync(1, TimeSpan.FromSeconds(30)));
        Assert.Equal(["after big"], await carol.View.TextsAsync(1, TimeSpan.FromSeconds(30)));
        // Given up with an error (the server's frame_too_large, or the connection dropping on it
        // repeatedly when that word is lost), then quiet: no loop of reconnects and resends.
        var refused = await alice.View.NextAsync<ErrorEvent>(e => e.Message.Contains("not sent again", StringComparison.Ordinal));
        Assert.Contains(refused.Code, new[] { ErrorCodes.FrameTooLarge, ErrorCodes.NotDelivered });
        var before = await alice.View.DrainAsync(TimeSpan.FromMilliseconds(200));
        Assert.True(before.Count(e => e is DisconnectedEvent) <= 3, string.Join(", ", before));
        Assert.DoesNotContain(await alice.View.DrainAsync(TimeSpan.FromSeconds(5)), e => e is DisconnectedEvent);
        Assert.DoesNotContain(await bob.View.DrainAsync(TimeSpan.FromSeconds(1)), e => e is MessageEvent);
    }

    private static string Text(int length, char c) => string.Create(length, c, (span, ch) =>
    {
        for (var i = 0; i < span.Length; i++)
            span[i] = i % 61 == 60 ? ' ' : ch;
    });

    private async Task<(TestClient Alice, TestClient Bob, TestClient Carol)> RoomOfThreeAsync(ServerSettings settings)
    {
        var (_, endpoint) = await _nodes.ServerAsync(settings);
        var alice = await _nodes.Client("alice", endpoint).ReadyAsync();
        var bob = await _nodes.Client("bob", endpoint).ReadyAsync();
        var carol = await _nodes.Client("carol", endpoint).ReadyAsync();
        await alice.View.NextAsync<MemberJoinedEvent>(j => j.Name == "bob");
        await alice.View.NextAsync<MemberJoinedEvent>(j => j.Name == "carol");
        return (alice, bob, carol);
    }

    public ValueTask DisposeAsync() => _nodes.DisposeAsync();
}
