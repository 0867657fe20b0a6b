using System.Globalization;
using System.Text;
using Wcwidth;

namespace Entice.ClientNode.Ui.Presentation;

/// <summary>
/// How many terminal columns text takes, measured per grapheme cluster (what a reader sees as one
/// character: <c>👍🏽</c>, <c>👨‍👩‍👧</c>, <c>🇩🇪</c>, <c>e</c> + combining accent) rather than per code point, so a
/// skin-tone modifier or a ZWJ sequence is not counted twice and the borders after it stay in place.
/// A cluster is as wide as its first code point (wcwidth: 2 for East Asian wide and emoji, 0 for
/// combining marks); a flag (two regional indicators) takes 2. Terminal.Gui measures the same way.
/// </summary>
public static class TextWidth
{
    /// <summary>Columns of the whole string (controls count 0; peer text reaches here through <see cref="View.PeerText"/>).</summary>
    public static int Columns(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var total = 0;
        var e = StringInfo.GetTextElementEnumerator(text);
        while (e.MoveNext())
            total += OfGrapheme(e.GetTextElement());
        return total;
    }

    /// <summary>Columns of one grapheme cluster.</summary>
    public static int OfGrapheme(string grapheme)
    {
        ArgumentNullException.ThrowIfNull(grapheme);
        if (grapheme.Length == 0)
            return 0;
        var first = Rune.GetRuneAt(grapheme, 0);
        if (first.Value < 0x80)
            return first.Value is >= 0x20 and < 0x7F ? 1 : 0;
        if (IsRegionalIndicator(first.Value) && grapheme.Length > first.Utf16SequenceLength)
            return 2;
        return Math.Max(0, (int)UnicodeCalculator.GetWidth(first));
    }

    /// <summary>The grapheme clusters of <paramref name="text"/>, in order.</summary>
    public static IEnumerable<string> Graphemes(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var e = StringInfo.GetTextElementEnumerator(text);
        while (e.MoveNext())
            yield return e.GetTextElement();
    }

    /// <summary>
    /// The longest prefix of <paramref name="text"/> that fits in <paramref name="columns"/>, with "…" in
    /// the last column when something was cut.
    /// </summary>
    public static string Truncate(string text, int columns)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (columns <= 0)
            return "";
        if (Columns(text) <= columns)
            return text;
        var sb = new StringBuilder();
        var used = 0;
        foreach (var g in Graphemes(text))
        {
            var w = OfGrapheme(g);
            if (used + w > columns - 1)
                break;
            sb.Append(g);
            used += w;
        }
        return sb.Append('…').ToString();
    }

    /// <summary><paramref name="text"/> padded with spaces to exactly <paramref name="columns"/> (truncated first if longer).</summary>
    public static string PadTo(string text, int columns)
    {
        var cut = Truncate(text, columns);
        return cut + new string(' ', Math.Max(0, columns - Columns(cut)));
    }

    private static bool IsRegionalIndicator(int v) => v is >= 0x1F1E6 and <= 0x1F1FF;
}
