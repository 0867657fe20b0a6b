using Entice.Client;
using Entice.Tests.Support;
using Entice.Wire;

namespace Entice.Tests.Hostile;

/// <summary>
/// Attack 7 (issue 10), the client's part: a relay that reorders or drops a member's envelopes. The
/// receiver shows each sender's messages in the order they were sent and says when one is missing (a gap)
/// or came late. A relabelled envelope id: <see cref="Attack07IdRewriteSpecs"/>.
/// </summary>
public sealed class Attack07GapSpecs : IAsyncDisposable
{
    private readonly TestNodes _nodes = new();
    private readonly FakeRelay _relay = new();
    private readonly HonestPeer _mallory = new("mallory");

    [Fact]
    public async Task Reordered_envelopes_are_shown_in_the_order_they_were_sent()
    {
        var (carol, me) = await StartAsync();
        var m = new List<Envelope>();
        for (var i = 1; i <= 4; i++)
            m.Add(_mallory.Message(me, $"m{i}"));

        foreach (var e in new[] { m[0], m[2], m[3], m[1] })
            await _relay.SendAsync(e);

        Assert.Equal(["m1", "m2", "m3", "m4"], await carol.View.TextsAsync(4));
        Assert.DoesNotContain(await carol.View.DrainAsync(TimeSpan.FromSeconds(2)), e => e is GapEvent);
    }

    [Fact]
    public async Task A_dropped_envelope_is_reported_as_a_gap_and_a_late_one_as_late()
    {
        var (carol, me) = await StartAsync();
        var m = new List<Envelope>();
        for (var i = 1; i <= 3; i++)
            m.Add(_mallory.Message(me, $"m{i}"));

        await _relay.SendAsync(m[0]);
        await _relay.SendAsync(m[2]); // m2 held back by the relay
        Assert.Equal("m1", (await carol.View.NextAsync<MessageEvent>()).Text);
        var gap = await carol.View.NextAsync<GapEvent>();
        Assert.Equal(("mallory", 1ul, false), (gap.From, gap.Missing, gap.Late));
        Assert.Equal("m3", (await carol.View.NextAsync<MessageEvent>()).Text);

        await _relay.SendAsync(m[1]);
        Assert.True((await carol.View.NextAsync<GapEvent>()).Late);
        Assert.Equal("m2", (await carol.View.NextAsync<MessageEvent>()).Text);
    }

    private async Task<(TestClient Carol, MemberInfo Me)> StartAsync()
    {
        var carol = _nodes.Client("carol", _relay.Endpoint, config: "entice.client.reorder-wait = 1s");
        await _relay.AdmitAsync(_mallory.Member);
        await carol.ReadyAsync();
        return (carol, _relay.Client);
    }

    public async ValueTask DisposeAsync()
    {
        await _nodes.DisposeAsync();
        await _relay.DisposeAsync();
        _mallory.Dispose();
    }
}
