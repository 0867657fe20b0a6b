using System.Globalization;
using System.Text;
using Entice.ClientNode.Ui.Views;
using Entice.Display;

namespace Entice.ClientNode.Ui.Presentation;

/// <summary>
/// The text being typed, edited like a shell's readline: the cursor moves by grapheme cluster (an emoji
/// with a skin tone is one step), Ctrl+A / Ctrl+E go to the start / end, Ctrl+U deletes to the start,
/// Ctrl+W the word before the cursor, Ctrl+K to the end, Ctrl+Y puts back what was deleted last.
/// Typing and pasting at the end cost time in proportion to what is added, not to what is already
/// there (a 100 KB paste is one insert), and the text is capped at <see cref="MaxLength"/> characters.
/// </summary>
public sealed class InputLine
{
    /// <summary>At most this many UTF-16 characters (1 MiB of text, the largest message).</summary>
    public const int DefaultMaxLength = 1024 * 1024;

    private static readonly string[] Ascii = Enumerable.Range(0, 128).Select(c => ((char)c).ToString()).ToArray();

    // One entry per grapheme cluster; single ASCII characters share one string each.
    private readonly List<string> _graphemes = [];
    private int _length; // UTF-16 characters in _graphemes
    private int _cursor; // index into _graphemes
    private int _scroll; // first grapheme shown by View
    private string _killed = "";

    public InputLine(int maxLength = DefaultMaxLength) => MaxLength = maxLength;

    public int MaxLength { get; }

    /// <summary>The cursor, in grapheme clusters from the start.</summary>
    public int Cursor => _cursor;

    /// <summary>Grapheme clusters in the line.</summary>
    public int Count => _graphemes.Count;

    /// <summary>UTF-16 characters in the line.</summary>
    public int Length => _length;

    /// <summary>Whether the line holds a line feed (it came from a paste).</summary>
    public bool IsMultiLine => _graphemes.Contains("\n");

    /// <summary>True when the last insert was cut at <see cref="MaxLength"/>.</summary>
    public bool Truncated { get; private set; }

    public string Text
    {
        get => string.Concat(_graphemes);
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            Clear();
            Insert(value);
        }
    }

    public void Clear()
    {
        _graphemes.Clear();
        _length = _cursor = _scroll = 0;
        Truncated = false;
    }

    /// <summary>The text before the cursor.</summary>
    public string BeforeCursor => string.Concat(_graphemes.Take(_cursor));

    /// <summary>The text after the cursor.</summary>
    public string AfterCursor => string.Concat(_graphemes.Skip(_cursor));

    /// <summary>Replaces the text before the cursor (a completion); the text after it stays.</summary>
    public void ReplaceBeforeCursor(string before)
    {
        ArgumentNullException.ThrowIfNull(before);
        var after = AfterCursor;
        Clear();
        Insert(before);
        var cursor = _cursor;
        Insert(after);
        _cursor = cursor;
    }

    /// <summary>Inserts at the cursor (typed characters, a paste); the cursor ends after it.</summary>
    public void Insert(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        Truncated = false;
        if (text.Length == 0)
            return;
        var room = MaxLength - _length;
        if (text.Length > room)
        {
            text = text[..Math.Max(0, room)];
            Truncated = true;
            if (text.Length == 0)
                return;
        }
        var added = Split(text);
        foreach (var g in added)
            _length += g.Length;
        // A combining mark or modifier typed on its own joins the cluster before it.
        if (_cursor > 0 && added.Count > 0 && Joins(_graphemes[_cursor - 1], added[0]))
        {
            _graphemes[_cursor - 1] += added[0];
            added.RemoveAt(0);
        }
        _graphemes.InsertRange(_cursor, added);
        _cursor += added.Count;
    }

    public void Backspace()
    {
        if (_cursor == 0)
            return;
        _cursor--;
        RemoveRange(_cursor, 1);
    }

    public void Delete()
    {
        if (_cursor < _graphemes.Count)
            RemoveRange(_cursor, 1);
    }

    public void Left() => _cursor = Math.Max(0, _cursor - 1);

    public void Right() => _cursor = Math.Min(_graphemes.Count, _cursor + 1);

    /// <summary>Ctrl+A.</summary>
    public void Home() => _cursor = 0;

    /// <summary>Ctrl+E.</summary>
    public void End() => _cursor = _graphemes.Count;

    /// <summary>Ctrl+U: delete from the start of the line to the cursor.</summary>
    public void KillToStart()
    {
        if (_cursor == 0)
            return;
        _killed = string.Concat(_graphemes.GetRange(0, _cursor));
        RemoveRange(0, _cursor);
        _cursor = 0;
    }

    /// <summary>Ctrl+K: delete from the cursor to the end of the line.</summary>
    public void KillToEnd()
    {
        if (_cursor == _graphemes.Count)
            return;
        _killed = string.Concat(_graphemes.GetRange(_cursor, _graphemes.Count - _cursor));
        RemoveRange(_cursor, _graphemes.Count - _cursor);
    }

    /// <summary>Ctrl+W: delete the word before the cursor and the spaces after it (as bash's unix-word-rubout).</summary>
    public void KillWordBack()
    {
        var start = _cursor;
        while (start > 0 && IsSpace(_graphemes[start - 1]))
            start--;
        while (start > 0 && !IsSpace(_graphemes[start - 1]))
            start--;
        if (start == _cursor)
            return;
        _killed = string.Concat(_graphemes.GetRange(start, _cursor - start));
        RemoveRange(start, _cursor - start);
        _cursor = start;
    }

    /// <summary>Ctrl+Y: insert what Ctrl+U, Ctrl+K or Ctrl+W deleted last.</summary>
    public void Yank() => Insert(_killed);

    /// <summary>
    /// What to draw in <paramref name="width"/> columns: the part of the line around the cursor (the view
    /// scrolls sideways to keep it visible; a line feed shows as ↵) and the cursor's column in it.
    /// Costs time in proportion to the width, not to the length of the line.
    /// </summary>
    public (string Text, int CursorColumn) View(int width)
    {
        width = Math.Max(1, width);
        if (_scroll > _cursor)
            _scroll = _cursor;
        // The cursor needs its own column: the first grapheme shown is the one that keeps it on screen.
        var used = 1;
        var first = _cursor;
        while (first > 0 && used + Width(_graphemes[first - 1]) <= width)
            used += Width(_graphemes[--first]);
        if (_scroll < first)
            _scroll = first;
        var sb = new StringBuilder();
        var column = 0;
        var cursorColumn = 0;
        for (var i = _scroll; i < _graphemes.Count; i++)
        {
            if (i == _cursor)
                cursorColumn = column;
            var g = Shown(_graphemes[i]);
            var w = Width(_graphemes[i]);
            if (column + w > width)
                break;
            sb.Append(g);
            column += w;
        }
        if (_cursor >= _graphemes.Count)
            cursorColumn = column;
        return (sb.ToString(), cursorColumn);
    }

    // A line feed shows as ↵; control, escape and bidi characters (a paste may hold them) as their
    // visible forms, never raw.
    private static string Shown(string g) => g == "\n" ? "↵" : PeerText.Visible(g);

    private static int Width(string g) => g == "\n" ? 1 : TextWidth.Columns(Shown(g));

    private static bool IsSpace(string g) => g is " " or "\t" or "\n";

    private void RemoveRange(int index, int count)
    {
        for (var i = index; i < index + count; i++)
            _length -= _graphemes[i].Length;
        _graphemes.RemoveRange(index, count);
        _scroll = Math.Min(_scroll, _graphemes.Count);
    }

    private static List<string> Split(string text)
    {
        var list = new List<string>(text.Length);
        var span = text.AsSpan();
        var at = 0;
        while (at < span.Length)
        {
            var c = span[at];
            var n = c < 128 && (at + 1 == span.Length || span[at + 1] < 128) && !(c == '\r' && at + 1 < span.Length && span[at + 1] == '\n')
                ? 1
                : StringInfo.GetNextTextElementLength(span[at..]);
            list.Add(n == 1 && c < 128 ? Ascii[c == '\r' ? '\n' : c] : span.Slice(at, n) is var g && g.SequenceEqual("\r\n") ? Ascii['\n'] : g.ToString());
            at += n;
        }
        return list;
    }

    private static bool Joins(string before, string after) =>
        before != "\n" && StringInfo.GetNextTextElementLength(before + after) == before.Length + after.Length;
}
