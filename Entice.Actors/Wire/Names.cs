namespace Entice.Wire;

/// <summary>
/// What a user or room name may look like (the rules are <see cref="NameProfile"/>). Names are shown to
/// other people and written to logs, so anything that can hide, reorder or fake text (whitespace,
/// control and format characters such as the U+202E bidi override, combining marks, invisible fillers,
/// a mix of scripts) is refused, and a name must already be in canonical form (NFKC, lower case):
/// "ALICE" and fullwidth "ａｌｉｃｅ" are not names, <c>Canonical</c> turns them into "alice".
/// </summary>
public static class Names
{
    public const int MaxNameLength = 32;
    public const int MaxRoomLength = 64;

    public static bool IsValidName(string? s) => NameProfile.Problem(s) is null;

    /// <summary>Like a user name, longer, and '#' is allowed so rooms can be written "#general".</summary>
    public static bool IsValidRoom(string? s) => NameProfile.Problem(s, room: true) is null;

    /// <summary>What a client should send for what the user typed ("Alice" -> "alice"); still to be checked.</summary>
    public static string Canonical(string s) => NameProfile.Canonical(s);
}
