using System.Text;
using Terminal.Gui.Text;
using Attribute = Terminal.Gui.Drawing.Attribute;

namespace Entice.ClientNode.Tui;

/// <summary>A run of text in one colour.</summary>
internal readonly record struct Segment(string Text, Attribute Attr);

/// <summary>Column-aware wrapping (wide characters take two cells) of coloured segments into rows.</summary>
internal static class Cells
{
    public static int Columns(string s) => s.EnumerateRunes().Sum(r => Math.Max(0, r.GetColumns()));

    /// <summary>Wraps the segments to <paramref name="width"/> columns; continuation rows start with <paramref name="indent"/> spaces.</summary>
    public static List<List<Segment>> Wrap(IReadOnlyList<Segment> segments, int width, int indent)
    {
        var rows = new List<List<Segment>>();
        var row = new List<Segment>();
        var used = 0;
        indent = Math.Min(indent, Math.Max(0, width - 10));
        foreach (var seg in segments)
        {
            var run = new StringBuilder();
            foreach (var rune in seg.Text.EnumerateRunes())
            {
                var r = rune.Value is '\n' or '\r' or '\t' ? new Rune(' ') : rune;
                var w = Math.Max(0, r.GetColumns());
                if (used + w > width && used > 0)
                {
                    if (run.Length > 0)
                        row.Add(new Segment(run.ToString(), seg.Attr));
                    run.Clear();
                    rows.Add(row);
                    row = [new Segment(new string(' ', indent), seg.Attr)];
                    used = indent;
                }
                run.Append(r.ToString());
                used += w;
            }
            if (run.Length > 0)
                row.Add(new Segment(run.ToString(), seg.Attr));
        }
        rows.Add(row);
        return rows;
    }
}
