using System.Globalization;
using System.Text;

namespace Entice.Display;

/// <summary>
/// Text that came from a peer (a message, a name, a topic; also a key in a configuration file made elsewhere)
/// made safe to put on a terminal: nothing a peer sends is ever executed by the terminal or reorders what is
/// around it. C0 and C1 controls (ESC
/// starts every terminal escape sequence) become their visible Control Pictures (U+2400 block) or
/// <c>&lt;U+XXXX&gt;</c>; bidi embeddings, overrides and isolates (which can make "evil" read "live" or
/// move text into another person's line) and other invisible format characters become <c>&lt;U+XXXX&gt;</c>.
/// A line feed is kept only when <paramref name="keepNewlines"/> is set (a multi-line message whose
/// view indents the lines that follow); a carriage return never is (it would overwrite the line).
/// JSON output does not need this: its encoder escapes every control character.
/// </summary>
public static class PeerText
{
    /// <summary>The text with every control and invisible format character made visible.</summary>
    public static string Visible(string? text, bool keepNewlines = false)
    {
        if (string.IsNullOrEmpty(text))
            return text ?? "";
        if (IsClean(text, keepNewlines))
            return text;

        var sb = new StringBuilder(text.Length + 16);
        foreach (var rune in text.EnumerateRunes())
        {
            var v = rune.Value;
            if (v == '\n' && keepNewlines)
                sb.Append('\n');
            else if (v < 0x20)
                sb.Append((char)(0x2400 + v)); // ␀..␟ (␛ for ESC)
            else if (v == 0x7F)
                sb.Append('\u2421'); // ␡
            else if (NeedsMarking(rune))
                sb.Append(CultureInfo.InvariantCulture, $"<U+{v:X4}>");
            else
                sb.Append(rune.ToString());
        }

        return sb.ToString();
    }

    private static bool IsClean(string text, bool keepNewlines)
    {
        foreach (var rune in text.EnumerateRunes())
        {
            var v = rune.Value;
            if ((v == '\n' && !keepNewlines) || (v != '\n' && v < 0x20) || v == 0x7F || NeedsMarking(rune))
                return false;
        }

        return true;
    }

    // C1 controls (U+0080..U+009F, e.g. CSI U+009B) and format characters (Cf: bidi controls U+202A..E,
    // U+2066..9, U+200E/F, U+061C, zero-width characters, the BOM, tag characters); surrogate halves that
    // do not form a pair arrive as U+FFFD from EnumerateRunes and are shown as such. ZWJ (U+200D) is kept:
    // emoji sequences need it and it cannot move or hide other text.
    private static bool NeedsMarking(Rune rune)
    {
        if (rune.Value is >= 0x80 and <= 0x9F)
            return true;
        if (rune.Value == 0x200D)
            return false;
        var category = Rune.GetUnicodeCategory(rune);
        return category is UnicodeCategory.Format or UnicodeCategory.Control
            or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator;
    }
}
