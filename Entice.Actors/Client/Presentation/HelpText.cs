namespace Entice.Client.Presentation;

/// <summary>The commands and keys, for F1 and /help (and the README).</summary>
public static class HelpText
{
    public static readonly IReadOnlyList<(string What, string Does)> Commands =
    [
        ("text", "send to the selected room, or to the person of a direct conversation"),
        ("//text", "send a line that starts with /"),
        ("/msg NAME TEXT", "direct message; opens the @NAME conversation"),
        ("/join ROOM", "enter a room (or switch to it)"),
        ("/leave [ROOM]", "leave a room (the selected one by default); in @NAME, close it"),
        ("/who", "list the selected room's members"),
        ("/verify NAME", "show your safety number with NAME"),
        ("/trust NAME", "accept NAME's changed key"),
        ("/help", "this help"),
        ("/quit", "deliver what is pending and exit"),
    ];

    public static readonly IReadOnlyList<(string What, string Does)> Keys =
    [
        ("Enter", "send the line"),
        ("Up / Down", "earlier / later lines you typed"),
        ("Ctrl+A / Ctrl+E", "start / end of the input line"),
        ("Ctrl+U / Ctrl+K", "delete to the start / to the end"),
        ("Ctrl+W / Ctrl+Y", "delete the word before the cursor / put back what was deleted"),
        ("PageUp / PageDown", "scroll messages (also the mouse wheel)"),
        ("Ctrl+End", "back to the newest message"),
        ("Alt+1..9", "go to conversation 1..9"),
        ("Ctrl+N / Ctrl+P", "next / previous conversation"),
        ("F1", "this help"),
        ("Ctrl+Q", "quit (same as /quit)"),
    ];

    public static string Render()
    {
        var width = Commands.Concat(Keys).Max(c => c.What.Length) + 2;
        var lines = new List<string> { "Commands" };
        lines.AddRange(Commands.Select(c => "  " + c.What.PadRight(width) + c.Does));
        lines.Add("");
        lines.Add("Keys");
        lines.AddRange(Keys.Select(c => "  " + c.What.PadRight(width) + c.Does));
        lines.Add("");
        lines.Add("Members:  ✓ verified   + trusted after a key change   ! KEY CHANGED   (dim) offline");
        return string.Join('\n', lines);
    }
}
