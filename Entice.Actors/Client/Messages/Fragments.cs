using System.Globalization;
using System.Text;

namespace Entice.Client.Messages;

/// <summary>
/// A long message travels as several envelopes, each small enough for one frame. The fragment header is
/// part of the text and so of the encrypted plaintext: the relay sees only envelopes of similar size,
/// never which belong together. Layout of a fragment's text:
/// <c>U+0001 "F1 " id(16 hex) " " index " " count "\n" chunk</c>, index 0-based, chunks cut at
/// character boundaries. A text that is short and does not start with U+0001 is sent as it is; one that
/// starts with U+0001 is always sent as fragments (a single one if short), so a typed U+0001 cannot be
/// taken for a header. Pure functions; the receiver's bounded state is <see cref="Reassembly"/>.
/// </summary>
internal static class Fragments
{
    public const char Marker = '\u0001';

    private const string Prefix = "\u0001F1 ";

    /// <summary>Most fragments one message may have, whatever its sender claims.</summary>
    public const int MaxCount = 4096;

    /// <summary>One fragment, as read from a decrypted text.</summary>
    public sealed record Part(ulong MessageId, int Index, int Count, string Chunk)
    {
        public override string ToString() => $"Fragment {Index + 1}/{Count} of {MessageId:x16}";
    }

    /// <summary>True when <paramref name="text"/> must travel as fragments of at most <paramref name="chunkBytes"/> UTF-8 bytes.</summary>
    public static bool Needed(string text, int chunkBytes)
    {
        ArgumentNullException.ThrowIfNull(text);
        return (text.Length > 0 && text[0] == Marker) || Encoding.UTF8.GetByteCount(text) > chunkBytes;
    }

    /// <summary>The texts of the fragments of <paramref name="text"/>, in order.</summary>
    public static List<string> Split(string text, ulong messageId, int chunkBytes)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkBytes, 4);
        var chunks = new List<string>();
        var current = new StringBuilder();
        var bytes = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            var size = rune.Utf8SequenceLength;
            if (bytes + size > chunkBytes)
            {
                chunks.Add(current.ToString());
                current.Clear();
                bytes = 0;
            }
            current.Append(rune.ToString());
            bytes += size;
        }
        if (current.Length > 0 || chunks.Count == 0)
            chunks.Add(current.ToString());
        if (chunks.Count > MaxCount)
            throw new ArgumentException($"a message may have at most {MaxCount} fragments", nameof(text));
        var id = messageId.ToString("x16", CultureInfo.InvariantCulture);
        return chunks.Select((c, i) => string.Create(CultureInfo.InvariantCulture, $"{Prefix}{id} {i} {chunks.Count}\n{c}")).ToList();
    }

    /// <summary>
    /// Reads a fragment header. False for a text that is not a fragment (<paramref name="malformed"/>
    /// false) or one that starts like a fragment but whose header does not parse or is out of bounds
    /// (<paramref name="malformed"/> true): nothing from a peer is trusted blindly.
    /// </summary>
    public static bool TryParse(string text, out Part? part, out bool malformed)
    {
        ArgumentNullException.ThrowIfNull(text);
        part = null;
        malformed = false;
        if (text.Length == 0 || text[0] != Marker)
            return false;
        malformed = true;
        if (!text.StartsWith(Prefix, StringComparison.Ordinal))
            return false;
        var newline = text.IndexOf('\n', Prefix.Length);
        // The header is short: 16 hex digits and two numbers of at most 4 digits, with spaces.
        if (newline < 0 || newline - Prefix.Length > 16 + 1 + 4 + 1 + 4)
            return false;
        var fields = text[Prefix.Length..newline].Split(' ');
        if (fields.Length != 3 || fields[0].Length != 16
            || !ulong.TryParse(fields[0], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var id)
            || !IsDigits(fields[1]) || !IsDigits(fields[2])
            || !int.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var index)
            || !int.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out var count)
            || count is < 1 or > MaxCount || index >= count)
            return false;
        part = new Part(id, index, count, text[(newline + 1)..]);
        malformed = false;
        return true;
    }

    private static bool IsDigits(string s) => s.Length is > 0 and <= 4 && s.All(char.IsAsciiDigit);
}
