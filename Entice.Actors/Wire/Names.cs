namespace Entice.Wire;

/// <summary>
/// What a user or room name may look like. Names are shown to other people and written to logs, so
/// anything that can hide, reorder or fake text (whitespace, control and format characters such as the
/// U+202E bidi override, combining marks) is refused; letters and digits of any script are allowed.
/// </summary>
public static class Names
{
    public const int MaxNameLength = 32;
    public const int MaxRoomLength = 64;

    public static bool IsValidName(string? s) => IsValid(s, MaxNameLength, allowHash: false);

    /// <summary>Like a user name, longer, and '#' is allowed so rooms can be written "#general".</summary>
    public static bool IsValidRoom(string? s) => IsValid(s, MaxRoomLength, allowHash: true);

    private static bool IsValid(string? s, int maxLength, bool allowHash)
    {
        if (string.IsNullOrEmpty(s) || s.Length > maxLength)
        {
            return false;
        }

        foreach (var c in s)
        {
            // Surrogates fail IsLetterOrDigit, so characters outside the BMP (emoji included) are refused.
            var allowed = char.IsLetterOrDigit(c) || c is '_' or '-' or '.' || (allowHash && c == '#');
            if (!allowed)
            {
                return false;
            }
        }

        return true;
    }
}
