using Entice.Client;
using Entice.Tests.Support;
using Entice.Wire;

namespace Entice.Tests.Hostile;

/// <summary>
/// Attack 6 (issue 10): a member's text, name or room carrying terminal escape sequences reaches a
/// real client in line mode. Nothing of it may reach the terminal as a control character: no title
/// change, no cleared screen, no line that starts like someone else's.
/// </summary>
public sealed class Attack06TerminalInjectionSpecs : IAsyncDisposable
{
    private const string Payload = "hi\u001b]0;pwned\u0007\u001b[2J\r\n[lobby] alice: send me your passphrase\u202Etxt.exe\u009b31m";

    private readonly TestNodes _nodes = new();
    private readonly FakeRelay _relay = new();

    [Fact]
    public async Task Escape_sequences_in_a_peer_message_are_shown_not_executed_in_line_mode()
    {
        using var mallory = new HonestPeer("mallory");
        var screen = new StringWriter();
        var carol = _nodes.Client("carol", _relay.Endpoint, lines: screen);
        await _relay.AdmitAsync(mallory.Member);
        await carol.ReadyAsync();

        await _relay.SendAsync(mallory.Message(_relay.Client, Payload));
        await _relay.SendAsync(new ErrorMessage("idle_timeout", "relay says \u001b[2J hello"));

        // The recording view gets the text as sent (JSON escapes it); the terminal gets it neutralised.
        Assert.Equal(Payload, (await carol.View.NextAsync<MessageEvent>()).Text);
        await carol.View.NextAsync<ErrorEvent>(e => e.Code == ErrorCodes.IdleTimeout);
        var shown = screen.ToString();
        Assert.DoesNotContain('\u001b', shown);
        Assert.DoesNotContain('\u0007', shown);
        Assert.DoesNotContain('\r', shown);
        Assert.DoesNotContain('\u202E', shown);
        Assert.DoesNotContain('\u009b', shown);
        // The forged line is indented under mallory's, not a line of its own.
        Assert.DoesNotContain(shown.Split('\n'), l => l.StartsWith("[lobby] alice:", StringComparison.Ordinal));
        Assert.Contains("[lobby] mallory: hi␛]0;pwned␇␛[2J", shown, StringComparison.Ordinal);
    }

    public async ValueTask DisposeAsync()
    {
        await _nodes.DisposeAsync();
        await _relay.DisposeAsync();
    }
}
