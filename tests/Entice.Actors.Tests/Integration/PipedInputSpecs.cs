using Entice.Client;
using Entice.Tests.Support;
using Entice.Wire;

namespace Entice.Tests.Integration;

/// <summary>
/// Issue 11 item 3: lines piped in before the room is known go once its members (present and away)
/// are known, reach every one of them, and the exit code says whether they did.
/// </summary>
public sealed class PipedInputSpecs : IAsyncDisposable
{
    private readonly TestNodes _nodes = new();

    [Fact]
    public async Task A_line_piped_in_at_start_reaches_an_away_member_and_the_exit_code_is_0()
    {
        var (_, endpoint) = await _nodes.ServerAsync();
        var daveKeys = _nodes.Dir();
        var dave = await _nodes.Client("dave", endpoint, keyDir: daveKeys).ReadyAsync();
        dave.EndInput();
        Assert.Equal(0, await dave.Exit.WaitAsync(TimeSpan.FromSeconds(15)));
        await dave.System.Terminate();

        // As `echo hi | entice --plain`: the line and the end of input arrive before the room is joined.
        var carol = _nodes.Client("carol", endpoint);
        carol.Type("hi");
        carol.EndInput();

        Assert.Equal(0, await carol.Exit.WaitAsync(TimeSpan.FromSeconds(20)));
        var daveAgain = _nodes.Client("dave", endpoint, keyDir: daveKeys);
        Assert.Equal(["hi"], await daveAgain.View.TextsAsync(1));
    }

    [Fact]
    public async Task A_line_that_reached_nobody_makes_the_exit_code_1_with_one_line_saying_so()
    {
        var (_, endpoint) = await _nodes.ServerAsync();
        var carol = _nodes.Client("carol", endpoint);
        carol.Type("hi");
        carol.EndInput();

        Assert.Equal(1, await carol.Exit.WaitAsync(TimeSpan.FromSeconds(20)));
        var last = await carol.View.NextAsync<ErrorEvent>(e => e.Code == ErrorCodes.NotDelivered);
        Assert.Contains("1 message(s) did not reach every recipient", last.Message, StringComparison.Ordinal);
        Assert.Equal(1, (await carol.View.NextAsync<StoppedEvent>()).ExitCode);
    }

    public ValueTask DisposeAsync() => _nodes.DisposeAsync();
}
