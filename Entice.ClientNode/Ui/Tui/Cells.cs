using System.Runtime.CompilerServices;
using Entice.ClientNode.Ui.Presentation;
using Attribute = Terminal.Gui.Drawing.Attribute;

namespace Entice.ClientNode.Ui.Tui;

/// <summary>
/// Terminal-side glue for <see cref="WordWrap"/> and <see cref="TextWidth"/> (widths per grapheme,
/// whole words): the wrapping itself is pure and has its specs there.
/// </summary>
internal static class Cells
{
    public static int Columns(string s) => TextWidth.Columns(s);

    public static List<List<Styled<Attribute>>> Wrap(IReadOnlyList<Styled<Attribute>> segments, int width, int indent) =>
        WordWrap.Wrap(segments, width, indent);
}

/// <summary>
/// Wrapped rows of each pane line for the last width it was drawn at, so a redraw does not wrap a long
/// message again (keyed by the line object: a line that changes is a new object).
/// </summary>
internal sealed class WrapCache
{
    private readonly ConditionalWeakTable<object, Entry> _entries = new();

    public List<List<Styled<Attribute>>> Get(object line, int width, Func<List<List<Styled<Attribute>>>> wrap)
    {
        if (_entries.TryGetValue(line, out var entry) && entry.Width == width)
            return entry.Rows;
        var rows = wrap();
        _entries.AddOrUpdate(line, new Entry(width, rows));
        return rows;
    }

    private sealed record Entry(int Width, List<List<Styled<Attribute>>> Rows);
}
