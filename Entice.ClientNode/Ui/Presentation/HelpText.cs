namespace Entice.ClientNode.Ui.Presentation;

/// <summary>The commands and keys, for F1 and /help (and the README).</summary>
public static class HelpText
{
    public static readonly IReadOnlyList<(string What, string Does)> Commands =
    [
        ("text, //text", "send to the selected room or @NAME (// : a leading /)"),
        ("/me TEXT", "an action, shown as \"* you TEXT\""),
        ("/msg NAME TEXT", "direct message; opens the @NAME conversation"),
        ("/query NAME", "open the direct conversation with NAME"),
        ("/join ROOM", "enter a room (or switch to it)"),
        ("/leave [ROOM]", "leave this room (or ROOM); in @NAME close it; /part"),
        ("/who, /names", "who is in this room now (/names: the away ones too)"),
        ("/clear, /topic", "clear the pane; /topic [TEXT]: the room's topic"),
        ("/search TEXT", "find TEXT in this conversation's kept history"),
        ("/forget", "delete this conversation's kept history (asks)"),
        ("/verify NAME", "show your safety number with NAME"),
        ("/verified NAME", "record that the safety numbers with NAME match"),
        ("/trust NAME", "accept NAME's changed key"),
        ("/nick", "why your name is fixed, and how to use another"),
        ("/help [COMMAND]", "this help, or the help for one command"),
        ("/quit", "deliver what is pending and exit"),
    ];

    public static readonly IReadOnlyList<(string What, string Does)> Keys =
    [
        ("Enter", "send the line"),
        ("Tab", "complete a name, command or room; again: next"),
        ("Up / Down", "earlier / later lines you typed"),
        ("Ctrl+R", "search lines you typed (again: older)"),
        ("Ctrl+A / Ctrl+E", "start / end of the input line"),
        ("Ctrl+U / Ctrl+K", "delete to the start / to the end"),
        ("Ctrl+W / Ctrl+Y", "delete the word before the cursor / undelete"),
        ("PageUp / PageDown", "scroll (mouse wheel too); Ctrl+End: newest"),
        ("Alt+1..9", "go to conversation 1..9"),
        ("Ctrl+N / Ctrl+P", "next / previous conversation"),
        ("Alt+A", "next with activity (mentions, direct first)"),
        ("F2 / F3", "hide or show the conversations / members pane"),
        ("F1", "this help; Esc: back from /search results"),
        ("Ctrl+Q", "quit (same as /quit)"),
    ];

    /// <summary>What /nick answers: names are tied to identities.</summary>
    public const string Nick =
        "Your name is tied to your identity key: others pinned that key under this name, so it cannot "
        + "change while you keep the key. To chat as someone else, start the client with another name and "
        + "a new key directory (--name NEW --key-dir DIR); people then see a new person, to verify again.";

    /// <summary>The help lines for one command (<c>join</c> or <c>/join</c>), or null when there is none.</summary>
    public static IReadOnlyList<string>? For(string command)
    {
        ArgumentNullException.ThrowIfNull(command);
        var verb = "/" + command.TrimStart('/').ToLowerInvariant();
        if (verb == "/part")
            verb = "/leave";
        var found = Commands.Where(c => c.What.Split([' ', ','], StringSplitOptions.RemoveEmptyEntries).Any(w => w == verb)).Select(c => $"{c.What}: {c.Does}").ToList();
        if (verb == "/nick")
            found.Add(Nick);
        return found.Count > 0 ? found : null;
    }

    public static string Render() => RenderCommands() + "\n\n" + RenderKeys();

    /// <summary>The first page of F1: the commands (fits a 24-row terminal).</summary>
    public static string RenderCommands() =>
        string.Join('\n', Commands.Select(c => "  " + c.What.PadRight(Width) + c.Does).Prepend("Commands"));

    /// <summary>The second page of F1: the keys and the member marks.</summary>
    public static string RenderKeys() =>
        string.Join('\n', Keys.Select(c => "  " + c.What.PadRight(Width) + c.Does).Prepend("Keys")
            .Append("").Append("Members:  ✓ verified   + new key accepted   ! KEY CHANGED   dim: offline"));

    private static int Width => Commands.Concat(Keys).Max(c => c.What.Length) + 2;
}
