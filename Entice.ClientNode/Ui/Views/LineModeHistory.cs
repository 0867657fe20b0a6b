using Entice.Client;

namespace Entice.ClientNode.Ui.Views;

/// <summary>
/// Line and JSON modes keep no history (the terminal UI does): <c>/search</c> and <c>/forget</c> there
/// get a clear answer instead of going to the chat actor.
/// </summary>
public static class LineModeHistory
{
    /// <summary>The answer to show for <paramref name="line"/>, or null when it is not a history command.</summary>
    public static ErrorEvent? Answer(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var verb = line.Split(' ', 2)[0].ToLowerInvariant();
        return verb is "/search" or "/forget"
            ? new ErrorEvent("unknown_command", $"{verb} works in the terminal UI, which keeps the history (KEY-DIR/history); line and JSON modes keep none, so there is nothing to search or forget.")
            : null;
    }
}
