namespace Entice.Client;

/// <summary>One line of user input, parsed. Pure: the same line always gives the same command.</summary>
public abstract record UserCommand
{
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
            "/msg" when parts.Length == 3 => new Direct(N(parts[1]), parts[2]),
            "/msg" => new Invalid("usage: /msg NAME TEXT"),
            "/who" => new Who(),
            "/verify" when parts.Length == 2 => new Verify(N(parts[1])),
            "/verify" => new Invalid("usage: /verify NAME"),
            "/trust" when parts.Length == 2 => new Trust(N(parts[1])),
            "/verified" when parts.Length == 2 => new MarkVerified(N(parts[1])),
            "/verified" => new Invalid("usage: /verified NAME (after comparing safety numbers)"),
            "/trust" => new Invalid("usage: /trust NAME"),
            "/join" when parts.Length == 2 => new Join(N(parts[1])),
            "/join" => new Invalid("usage: /join ROOM"),
            "/leave" or "/part" => new Leave(parts.Length >= 2 ? N(parts[1]) : null),
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

    public sealed record Direct(string To, string Text) : UserCommand
    {
        public override string ToString() => $"Direct {{ To = {To} }}";
    }

    public sealed record Who : UserCommand;

    /// <summary>Enter another room (it becomes the one plain lines go to).</summary>
    public sealed record Join(string Room) : UserCommand;

    /// <summary>Leave a room (the current one when <paramref name="Room"/> is null).</summary>
    public sealed record Leave(string? Room) : UserCommand;

    public sealed record Verify(string Peer) : UserCommand;

    public sealed record Trust(string Peer) : UserCommand;

    /// <summary>The user compared safety numbers with <paramref name="Peer"/> and they match.</summary>
    public sealed record MarkVerified(string Peer) : UserCommand;

    public sealed record Quit : UserCommand;

    public sealed record Invalid(string Usage) : UserCommand;
}
