namespace Entice.ClientNode.Ui.Presentation;

/// <summary>A run of text drawn in one style (the terminal code decides what a style looks like).</summary>
public readonly record struct Styled<TStyle>(string Text, TStyle Style);

/// <summary>
/// Wraps styled text to a width the way people expect: whole words move to the next row (a word is
/// split only when it is longer than a row), widths are counted per grapheme cluster
/// (<see cref="TextWidth"/>), a line feed starts a new row, and every row after the first starts with
/// <c>indent</c> spaces (continuation rows line up under the text). The spaces a soft break falls on
/// are dropped. Pure and linear in the length of the text.
/// </summary>
public static class WordWrap
{
    public static List<List<Styled<TStyle>>> Wrap<TStyle>(IReadOnlyList<Styled<TStyle>> segments, int width, int indent)
    {
        ArgumentNullException.ThrowIfNull(segments);
        width = Math.Max(1, width);
        indent = Math.Clamp(indent, 0, Math.Max(0, width / 2));

        // Flatten into cells: one grapheme each, with its width and the segment it came from.
        var cells = new List<(string G, int W, int Seg)>();
        for (var s = 0; s < segments.Count; s++)
        {
            foreach (var g in TextWidth.Graphemes(segments[s].Text))
            {
                var text = g is "\r\n" or "\r" ? "\n" : g == "\t" ? " " : g;
                cells.Add((text, text == "\n" ? 0 : TextWidth.OfGrapheme(text), s));
            }
        }

        var rows = new List<List<Styled<TStyle>>>();
        var row = new RowBuilder<TStyle>(segments);
        var used = 0;
        var rowStart = 0; // columns of indent on this row

        // Continuation rows start with the indent, drawn in the style of the text that follows it.
        void NewRow(int seg, bool soft = true)
        {
            rows.Add(row.Finish(trimEnd: soft));
            row = new RowBuilder<TStyle>(segments);
            rowStart = used = indent;
            if (indent > 0)
                row.Add(new string(' ', indent), seg);
        }

        var i = 0;
        while (i < cells.Count)
        {
            var cell = cells[i];
            if (cell.G == "\n")
            {
                NewRow(cell.Seg, soft: false);
                i++;
                continue;
            }
            if (cell.G == " ")
            {
                if (used + 1 > width)
                {
                    // A soft break on a space: the spaces it falls on are dropped.
                    while (i < cells.Count && cells[i].G == " ")
                        i++;
                    NewRow(cell.Seg);
                    continue;
                }
                row.Add(cell.G, cell.Seg);
                used++;
                i++;
                continue;
            }
            // A word: up to the next space or line feed. It moves to the next row whole if it fits there.
            var end = i;
            var wordWidth = 0;
            while (end < cells.Count && cells[end].G is not (" " or "\n"))
                wordWidth += cells[end++].W;
            if (used + wordWidth > width && used > rowStart && wordWidth <= width - indent)
                NewRow(cell.Seg);
            for (; i < end; i++)
            {
                var c = cells[i];
                if (used + c.W > width && used > rowStart)
                    NewRow(c.Seg);
                row.Add(c.G, c.Seg);
                used += c.W;
            }
        }
        rows.Add(row.Finish(trimEnd: false));
        return rows;
    }

    private sealed class RowBuilder<TStyle>(IReadOnlyList<Styled<TStyle>> segments)
    {
        private readonly List<Styled<TStyle>> _row = [];
        private readonly System.Text.StringBuilder _run = new();
        private int _seg = -1;

        public void Add(string text, int seg)
        {
            if (seg != _seg)
                Flush();
            _seg = seg;
            _run.Append(text);
        }

        // A soft break drops the spaces it falls on, at the end of the row too.
        public List<Styled<TStyle>> Finish(bool trimEnd)
        {
            Flush();
            while (trimEnd && _row.Count > 0 && _row[^1].Text.EndsWith(' '))
            {
                var text = _row[^1].Text.TrimEnd(' ');
                if (text.Length > 0)
                {
                    _row[^1] = _row[^1] with { Text = text };
                    break;
                }
                _row.RemoveAt(_row.Count - 1);
            }
            return _row;
        }

        private void Flush()
        {
            if (_run.Length > 0 && _seg >= 0)
                _row.Add(new Styled<TStyle>(_run.ToString(), segments[_seg].Style));
            _run.Clear();
        }
    }
}
