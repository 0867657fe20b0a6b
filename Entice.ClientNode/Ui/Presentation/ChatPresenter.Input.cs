using Entice.Client;
using Entice.ClientNode.Ui.Views;
using Entice.Display;

namespace Entice.ClientNode.Ui.Presentation;

// What the user typed: commands to the chat actor, text to the selected conversation, pastes.
public sealed partial class ChatPresenter
{
    /// <summary>
    /// A line the user typed in the selected conversation. Plain text goes to the selected room, or to
    /// the peer of a direct conversation; own messages are shown at once and marked ✓ when
    /// the server has taken them. Commands go to the chat actor with the selected room as context.
    /// </summary>
    public IReadOnlyList<InputAction> Submit(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var line = text.TrimEnd('\r', '\n');
        if (line.Trim().Length == 0)
            return [];
        History.Add(line);
        KeepInput(line);
        var selected = Selected;
        var room = selected is null ? null : selected.IsDirect ? selected.ViaRoom : selected.Name;

        if (line.StartsWith('/') && !line.StartsWith("//", StringComparison.Ordinal))
        {
            var parts = line.Split(' ', 3, StringSplitOptions.RemoveEmptyEntries);
            var verb = parts[0].ToLowerInvariant();
            if (verb == "/part")
            {
                // irssi's name for /leave.
                line = "/leave" + line[parts[0].Length..];
                verb = "/leave";
            }
            else if (verb == "/query" && parts.Length == 3)
            {
                // /query NAME TEXT is /msg NAME TEXT.
                line = "/msg" + line[parts[0].Length..];
                verb = "/msg";
            }
            if (HistoryCommand(verb, line, selected) is { } historyActions)
                return historyActions;
            switch (verb)
            {
                case "/help" when parts.Length == 1:
                    return [new InputAction.ShowHelp()];
                case "/help":
                    var help = HelpText.For(parts[1]);
                    if (help is null)
                        Error(CurrentOrSystem(), $"No command {V(parts[1])}; F1 or /help lists them all.");
                    else
                        foreach (var h in help)
                            Notice(CurrentOrSystem(), h);
                    return [];
                case "/nick":
                    Notice(CurrentOrSystem(), HelpText.Nick);
                    return [];
                case "/clear":
                    if (selected is not null)
                    {
                        selected.Lines.Clear();
                        selected.LastDay = null;
                    }
                    else
                        _systemLines.Clear();
                    return [];
                case "/names":
                    Names(selected);
                    return [];
                case "/query" when parts.Length == 2:
                    Select(_conversations.IndexOf(OpenDirect(parts[1])));
                    return [];
                case "/query":
                    Error(CurrentOrSystem(), "usage: /query NAME [TEXT]");
                    return [];
                case "/me" when line.Length > 4 && line[3] == ' ':
                    var act = PaneLine.ActionPrefix + line[4..];
                    if (selected is null)
                        return [];
                    var actTag = AddOwn(selected, act, direct: selected.IsDirect);
                    // Sent as text starting with "/me " (the // escape keeps it from being a command).
                    return [new InputAction.Send(new ChatClient.Command(selected.IsDirect ? new UserCommand.Direct(selected.Name, act) : new UserCommand.Say(act), room, actTag))];
                case "/me":
                    Error(CurrentOrSystem(), "usage: /me TEXT");
                    return [];
                case "/quit" or "/exit":
                    return [new InputAction.Quit()];
                case "/msg" when parts.Length == 3:
                    var dm = OpenDirect(parts[1]);
                    Select(_conversations.IndexOf(dm));
                    var dmTag = AddOwn(dm, parts[2], direct: true);
                    return [new InputAction.Send(new ChatClient.Command(new UserCommand.Direct(dm.Name, parts[2]), dm.ViaRoom ?? room, dmTag))];
                case "/leave" when line.Trim() == "/leave" && selected is { IsDirect: true }:
                    CloseConversation(_selected);
                    return [];
                default:
                    return [new InputAction.Send(new ChatClient.Command(UserCommand.Parse(line), room))];
            }
        }

        return SendText(line.StartsWith("//", StringComparison.Ordinal) ? line[1..] : line);
    }

    /// <summary>
    /// Text to send as one message whatever it holds: a paste of several lines the user confirmed. No
    /// line of it runs as a command (a first line starting with <c>/</c> is sent as text), and the chat
    /// actor gets it as one typed message with its line feeds.
    /// </summary>
    public IReadOnlyList<InputAction> SubmitMessage(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var body = Normalise(text);
        return body.Trim().Length == 0 ? [] : SendText(body);
    }

    // Text (never a command) to the selected conversation: the room, or the peer of a direct one (through
    // the room it was opened from); shown at once as our own line, whose tag later carries the ticks.
    private IReadOnlyList<InputAction> SendText(string body)
    {
        var selected = Selected;
        if (selected is null)
            return [new InputAction.Send(new ChatClient.Command(new UserCommand.Say(body)))];
        if (selected.IsDirect)
        {
            var directTag = AddOwn(selected, body, direct: true);
            return [new InputAction.Send(new ChatClient.Command(new UserCommand.Direct(selected.Name, body), selected.ViaRoom, directTag))];
        }
        var tag = AddOwn(selected, body, direct: false);
        return [new InputAction.Send(new ChatClient.Command(new UserCommand.Say(body), selected.Name, tag))];
    }

    /// <summary>Line feeds only (CR LF and CR become LF), without blank lines at the start or end.</summary>
    public static string Normalise(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var lf = text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');
        var start = 0;
        while (start < lf.Length && lf[start] == '\n')
            start++;
        var end = lf.Length;
        while (end > start && char.IsWhiteSpace(lf[end - 1]))
            end--;
        return lf[start..end];
    }

    /// <summary>
    /// What the paste confirmation shows: how many lines and characters, and the first few lines, each
    /// cut to <paramref name="width"/> columns (control characters made visible).
    /// </summary>
    public static string PastePreview(string text, int maxLines, int width)
    {
        var body = Normalise(text);
        var lines = body.Split('\n');
        var shown = lines.Take(maxLines).Select(l => "  " + TextWidth.Truncate(PeerText.Visible(l), Math.Max(4, width - 2)));
        var more = lines.Length > maxLines ? $"\n  … and {lines.Length - maxLines} more line(s)" : "";
        return $"Send this paste of {lines.Length} lines ({body.Length:N0} characters) as one message?\n"
            + "No line of it runs as a command.\n\n" + string.Join('\n', shown) + more;
    }
}
