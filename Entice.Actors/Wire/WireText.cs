using System.Text;

namespace Entice.Wire;

/// <summary>Human-readable text for the wire, made to fit a string field.</summary>
public static class WireText
{
    /// <summary>
    /// <paramref name="text"/> cut (at a character boundary, with an ellipsis) to at most
    /// <paramref name="maxBytes"/> UTF-8 bytes, so a message that quotes user input can always be sent.
    /// </summary>
    public static string Fit(string text, int maxBytes = WireLimits.MaxStringBytes)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (Encoding.UTF8.GetByteCount(text) <= maxBytes)
            return text;
        const string ellipsis = "…";
        var budget = maxBytes - Encoding.UTF8.GetByteCount(ellipsis);
        var length = 0;
        var bytes = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            if (bytes + rune.Utf8SequenceLength > budget)
                break;
            bytes += rune.Utf8SequenceLength;
            length += rune.Utf16SequenceLength;
        }
        return text[..length] + ellipsis;
    }
}
