using System.Globalization;
using Entice.Client;
using Entice.Server;
using Entice.Tests.Support;
using Entice.Wire;

namespace Entice.Tests.Integration;

/// <summary>
/// Issue 11 item 4: a burst over the server's rate limit. Receivers show each sender's messages in the
/// order they were sent even when the server refused some and they came again later; and a client that
/// paces itself under the limit is not refused at all.
/// </summary>
public sealed class BurstOrderSpecs : IAsyncDisposable
{
    private const int Lines = 150;

    // Tighter than the default so the spec stays small, and so tight that a sender which does not pace
    // itself is refused however slow the machine: 100 envelopes a second, 50 at once (a line is three).
    private static readonly ServerSettings Tight = new() { EnvelopesPerSecond = 100, EnvelopeBurst = 50 };

    // Receivers pace their receipts under it and wait long enough for refused envelopes to come again.
    private const string Receiver = "entice.client.pacing { envelopes-per-second = 80, burst = 40 }\nentice.client.reorder-wait = 60s";

    private readonly TestNodes _nodes = new();

    [Fact]
    public async Task Refused_and_resent_envelopes_are_still_shown_in_sent_order()
    {
        // This sender does not pace itself: the server refuses most of the burst and it sends them again.
        var (alice, receivers) = await RoomAsync("entice.client.pacing { envelopes-per-second = 100000, burst = 100000 }");

        // Typed over about two seconds, as a paste arrives: once the server's burst is used up, a line
        // typed later finds a fresh token while earlier refused ones wait to be sent again.
        for (var i = 1; i <= Lines; i++)
        {
            alice.Type(i.ToString(CultureInfo.InvariantCulture));
            if (i % 10 == 0)
                await Task.Delay(60);
        }

        await alice.View.NextAsync<ErrorEvent>(e => e.Code == ErrorCodes.RateLimited, TimeSpan.FromSeconds(20));
        var expected = Enumerable.Range(1, Lines).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToList();
        foreach (var r in receivers)
            Assert.Equal(expected, await r.View.TextsAsync(Lines, TimeSpan.FromSeconds(90)));
    }

    [Fact]
    public async Task A_client_pacing_itself_under_the_limit_is_never_refused()
    {
        var (alice, receivers) = await RoomAsync("entice.client.pacing { envelopes-per-second = 80, burst = 40 }");

        for (var i = 1; i <= Lines; i++)
            alice.Type(i.ToString(CultureInfo.InvariantCulture));

        var expected = Enumerable.Range(1, Lines).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToList();
        foreach (var r in receivers)
            Assert.Equal(expected, await r.View.TextsAsync(Lines, TimeSpan.FromSeconds(90)));
        var seen = await alice.View.DrainAsync(TimeSpan.FromSeconds(1));
        Assert.DoesNotContain(seen, e => e is ErrorEvent);
    }

    private async Task<(TestClient Alice, TestClient[] Receivers)> RoomAsync(string senderConfig)
    {
        var (_, endpoint) = await _nodes.ServerAsync(Tight);
        var alice = await _nodes.Client("alice", endpoint, config: senderConfig).ReadyAsync();
        var receivers = new[] { "bob", "carol", "dave" }.Select(n => _nodes.Client(n, endpoint, config: Receiver)).ToArray();
        foreach (var r in receivers)
        {
            await r.View.NextAsync<ReadyEvent>();
            await alice.View.NextAsync<MemberJoinedEvent>(j => j.Name == r.Name);
        }
        return (alice, receivers);
    }

    public ValueTask DisposeAsync() => _nodes.DisposeAsync();
}
