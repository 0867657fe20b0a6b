namespace Entice.Client;

/// <summary>
/// What the user can ask of the chat actor: one closed vocabulary for every UI. A windowed UI builds
/// these directly (<see cref="ChatClient.Command"/>); line mode sends text, parsed once by
/// <see cref="Parse"/> (pure: the same line always gives the same command). Names and rooms are
/// canonical (<see cref="Entice.Wire.Names.Canonical"/>) whichever way a command was made.
/// </summary>
public abstract record UserCommand
{
    private UserCommand()
    {
    }

    public static UserCommand Parse(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var trimmed = line.TrimEnd('\r', '\n');
        if (trimmed.Trim().Length == 0)
            return new Nothing();
        if (!trimmed.StartsWith('/') || trimmed.StartsWith("//", StringComparison.Ordinal))
            return new Say(trimmed.StartsWith("//", StringComparison.Ordinal) ? trimmed[1..] : trimmed);

        var parts = trimmed.Split(' ', 3, StringSplitOptions.RemoveEmptyEntries);
        var verb = parts[0].ToLowerInvariant();
        return verb switch
        {
            "/msg" when parts.Length == 3 => new Direct(parts[1], parts[2]),
            "/msg" => new Invalid("usage: /msg NAME TEXT"),
            "/who" => new Who(),
            "/verify" when parts.Length == 2 => new Verify(parts[1]),
            "/verify" => new Invalid("usage: /verify NAME"),
            "/trust" when parts.Length == 2 => new Trust(parts[1]),
            "/verified" when parts.Length == 2 => new MarkVerified(parts[1]),
            "/verified" => new Invalid("usage: /verified NAME (after comparing safety numbers)"),
            "/trust" => new Invalid("usage: /trust NAME"),
            "/join" when parts.Length == 2 => new Join(parts[1]),
            "/join" => new Invalid("usage: /join ROOM"),
            "/leave" or "/part" => new Leave(parts.Length >= 2 ? parts[1] : null),
            // An action: the text "/me TEXT", which clients show as "* NAME TEXT".
            "/me" when parts.Length >= 2 => new Say("/me " + trimmed[(trimmed.IndexOf(' ', StringComparison.Ordinal) + 1)..].TrimStart(' ')),
            "/me" => new Invalid("usage: /me TEXT"),
            "/quit" or "/exit" => new Quit(),
            _ => new Invalid($"unknown command {parts[0]}; commands: /msg NAME TEXT, /me TEXT, /join ROOM, /leave [ROOM], /who, /verify NAME, /verified NAME, /trust NAME, /quit (start a line with // to send a literal /)"),
        };
    }

    // Names and rooms are compared in canonical form: "/msg Bob hi" writes to "bob".
    private static string N(string nameOrRoom) => Entice.Wire.Names.Canonical(nameOrRoom);

    public sealed record Nothing : UserCommand;

    /// <summary>Text for everyone in the room.</summary>
    public sealed record Say(string Text) : UserCommand
    {
        public override string ToString() => "Say";
    }

    /// <summary>Text for <paramref name="To"/> only (a room they share decides the way).</summary>
    public sealed record Direct : UserCommand
    {
        public Direct(string to, string text)
        {
            To = N(to);
            Text = text;
        }

        public string To { get; }

        public string Text { get; }

        public override string ToString() => $"Direct {{ To = {To} }}";
    }

    public sealed record Who : UserCommand;

    /// <summary>Enter another room (it becomes the one plain lines go to).</summary>
    public sealed record Join : UserCommand
    {
        public Join(string room) => Room = N(room);

        public string Room { get; }
    }

    /// <summary>Leave a room (the current one when <paramref name="room"/> is null).</summary>
    public sealed record Leave : UserCommand
    {
        public Leave(string? room) => Room = room is null ? null : N(room);

        public string? Room { get; }
    }

    /// <summary>Show the safety number shared with <see cref="Peer"/>.</summary>
    public sealed record Verify : UserCommand
    {
        public Verify(string peer) => Peer = N(peer);

        public string Peer { get; }
    }

    /// <summary>Accept <see cref="Peer"/>'s changed key.</summary>
    public sealed record Trust : UserCommand
    {
        public Trust(string peer) => Peer = N(peer);

        public string Peer { get; }
    }

    /// <summary>The user compared safety numbers with <see cref="Peer"/> and they match.</summary>
    public sealed record MarkVerified : UserCommand
    {
        public MarkVerified(string peer) => Peer = N(peer);

        public string Peer { get; }
    }

    /// <summary>End the input: deliver what is pending, then stop (as <see cref="ChatClient.EndOfInput"/>).</summary>
    public sealed record Quit : UserCommand;

    /// <summary>A line that is no command; <paramref name="Usage"/> says what would be.</summary>
    public sealed record Invalid(string Usage) : UserCommand;
}
