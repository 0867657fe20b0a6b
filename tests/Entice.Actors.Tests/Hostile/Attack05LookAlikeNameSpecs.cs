using Entice.Tests.Support;
using Entice.Wire;

namespace Entice.Tests.Hostile;

/// <summary>
/// Attack 5: names and rooms that look like someone else's: "аlice" (Cyrillic а), "ａｌｉｃｅ" (fullwidth),
/// "aliceㅤ" (U+3164 Hangul filler), "ALICE" beside "alice", a whole-script Cyrillic look-alike, and
/// the room "lоbby". A raw attacker over a real socket against a real server, with alice's name owned.
/// </summary>
public sealed class Attack05LookAlikeNameSpecs : IAsyncLifetime
{
    private readonly TestNodes _nodes = new();
    private System.Net.IPEndPoint _server = null!;

    public async Task InitializeAsync()
    {
        (_, _server) = await _nodes.ServerAsync(dataDir: _nodes.Dir("entice-test-data-"));
        using var alice = new TestIdentity("alice");
        using var ace = new TestIdentity("ace");
        using (var c = await RawClient.JoinedAsync(_server, alice))
        {
        }
        using (var c = await RawClient.JoinedAsync(_server, ace))
        {
        }
    }

    [Theory]
    [InlineData("\u0430lice", ErrorCodes.InvalidName, "mixes Cyrillic and Latin")]
    [InlineData("\uFF41\uFF4C\uFF49\uFF43\uFF45", ErrorCodes.InvalidName, "use \"alice\"")]
    [InlineData("alice\u3164", ErrorCodes.InvalidName, "U+3164 is an invisible character")]
    [InlineData("ALICE", ErrorCodes.InvalidName, "use \"alice\"")]
    [InlineData("\u0430\u0441\u0435", ErrorCodes.NameConfusable, "looks like ace")] // all Cyrillic: one script, still "ace"
    [InlineData("a1ice", ErrorCodes.NameConfusable, "looks like alice")]
    public async Task A_name_that_looks_like_another_is_refused_saying_why(string name, string code, string why)
    {
        using var attacker = new TestIdentity(name);
        using var c = await RawClient.ConnectAsync(_server);

        var refused = Assert.IsType<ErrorMessage>(await c.HelloAsync(attacker));

        Assert.Equal(code, refused.Code);
        Assert.Contains(why, refused.Message, StringComparison.Ordinal);
        Assert.True(await c.ClosedByServerAsync());
    }

    [Theory]
    [InlineData("l\u043Ebby", "mixes Cyrillic and Latin")]
    [InlineData("Lobby", "use \"lobby\"")]
    [InlineData("lobby\u3164", "U+3164 is an invisible character")]
    public async Task A_look_alike_room_is_refused_saying_why(string room, string why)
    {
        using var mallory = new TestIdentity("mallory");
        using var c = await RawClient.JoinedAsync(_server, mallory);

        await c.SendAsync(new JoinRoom(room));

        var refused = await c.ReceiveAsync<ErrorMessage>();
        Assert.Equal(ErrorCodes.InvalidRoom, refused.Code);
        Assert.Contains(why, refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_name_unlike_any_owned_one_is_welcome()
    {
        using var c = await RawClient.ConnectAsync(_server);
        using var other = new TestIdentity("алиса"); // Cyrillic, but looks like no owned name
        Assert.IsType<Welcome>(await c.HelloAsync(other));
    }

    public Task DisposeAsync() => _nodes.DisposeAsync().AsTask();
}
