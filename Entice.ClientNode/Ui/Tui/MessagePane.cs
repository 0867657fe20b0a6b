using Terminal.Gui.Drawing;
using Attribute = Terminal.Gui.Drawing.Attribute;
using Segment = Entice.ClientNode.Ui.Presentation.Styled<Terminal.Gui.Drawing.Attribute>;
using Terminal.Gui.Input;
using Terminal.Gui.ViewBase;
using Entice.ClientNode.Ui.Presentation;

namespace Entice.ClientNode.Ui.Tui;

/// <summary>
/// The selected conversation's lines, newest at the bottom, wrapped to the width. Scrolls with
/// PageUp/PageDown (forwarded by the window) and the mouse wheel; new lines keep the view at the bottom
/// unless the user scrolled up.
/// </summary>
internal sealed class MessagePane : View
{
    private readonly ChatPresenter _presenter;
    private readonly WrapCache _wrapped = new();
    private int _scrollBack; // rows above the bottom

    public MessagePane(ChatPresenter presenter)
    {
        _presenter = presenter;
        CanFocus = false;
        BorderStyle = LineStyle.Rounded;
    }

    public void ScrollPages(int pages) => ScrollRows(pages * Math.Max(1, Viewport.Height - 1));

    public void ScrollRows(int rows)
    {
        _scrollBack = Math.Max(0, _scrollBack + rows);
        SetNeedsDraw();
    }

    public void ScrollToBottom()
    {
        _scrollBack = 0;
        SetNeedsDraw();
    }

    protected override bool OnMouseEvent(Mouse mouse)
    {
        if (mouse.Flags.HasFlag(MouseFlags.WheeledUp))
        {
            ScrollRows(3);
            return true;
        }
        if (mouse.Flags.HasFlag(MouseFlags.WheeledDown))
        {
            ScrollRows(-3);
            return true;
        }
        return base.OnMouseEvent(mouse);
    }

    protected override bool OnDrawingContent(DrawContext? context)
    {
        var width = Viewport.Width;
        var height = Viewport.Height;
        if (width <= 0 || height <= 0)
            return true;
        var normal = GetAttributeForRole(VisualRole.Normal);
        var bg = normal.Background;
        FillRect(Viewport with { X = 0, Y = 0 }, (Color?)bg);

        // Wrap from the newest line back until the rows on screen (plus the scroll-back) are known.
        var blocks = new List<List<List<Segment>>>();
        var count = 0;
        var lines = _presenter.Lines;
        for (var i = lines.Count - 1; i >= 0 && count < height + _scrollBack; i--)
        {
            var line = lines[i];
            var block = _wrapped.Get(line, width, () => Render(line, width, bg, normal));
            blocks.Add(block);
            count += block.Count;
        }
        blocks.Reverse();
        var rows = blocks.SelectMany(b => b).ToList();
        var maxBack = Math.Max(0, rows.Count - height);
        _scrollBack = Math.Min(_scrollBack, maxBack);
        var first = Math.Max(0, rows.Count - height - _scrollBack);
        for (var y = 0; y < height && first + y < rows.Count; y++)
        {
            Move(0, y);
            foreach (var seg in rows[first + y])
            {
                SetAttribute(seg.Style);
                AddStr(seg.Text);
            }
        }
        if (_scrollBack > 0)
        {
            var hint = $" ↓ {_scrollBack} more (PageDown) ";
            Move(Math.Max(0, width - Cells.Columns(hint)), height - 1);
            SetAttribute(Palette.Fg(ColorName16.Black, new Color(ColorName16.BrightYellow)));
            AddStr(hint);
        }
        return true;
    }

    private static List<List<Segment>> Render(PaneLine line, int width, Color bg, Attribute normal)
    {
        var dim = Palette.Fg(ColorName16.DarkGray, bg);
        switch (line.Kind)
        {
            case PaneLineKind.DaySeparator:
                var pad = Math.Max(0, (width - Cells.Columns(line.Text)) / 2);
                return Cells.Wrap([new Segment(new string(' ', pad) + line.Text, Palette.Fg(ColorName16.Gray, bg))], width, 0);
            case PaneLineKind.Notice:
                return Cells.Wrap([new Segment(line.Time + " ", dim), new Segment(line.Text, Palette.Fg(ColorName16.Gray, bg, TextStyle.Italic))], width, 6);
            case PaneLineKind.Error:
                return Cells.Wrap([new Segment(line.Time + " ", dim), new Segment(line.Text, Palette.Fg(ColorName16.BrightRed, bg, TextStyle.Bold))], width, 6);
            default:
                var marker = line.Marker;
                var prefix = $"{line.Time} {marker} ";
                var name = line.Own ? $"{line.Sender} (you)" : line.Sender;
                // A mention of you: the marker and the text stand out (black on yellow).
                var textAttr = line.Mention ? Palette.Fg(ColorName16.Black, new Color(ColorName16.BrightYellow), TextStyle.Bold)
                    : line.Own ? Palette.Fg(ColorName16.White, bg) : normal;
                var markerAttr = line.Mention ? Palette.Fg(ColorName16.BrightMagenta, bg, TextStyle.Bold) : Palette.Fg(ColorName16.BrightYellow, bg, TextStyle.Bold);
                var segs = new List<Segment>
                {
                    new(line.Time + " ", dim),
                    new(marker + " ", markerAttr),
                };
                if (line.Action)
                {
                    segs.Add(new("* ", dim));
                    segs.Add(new(name, Palette.ForName(line.Sender, bg, bold: true)));
                    segs.Add(new(line.Direct ? " (direct) " : " ", dim));
                    segs.Add(new(line.Text, line.Mention ? textAttr : Palette.Fg(ColorName16.Gray, bg, TextStyle.Italic)));
                }
                else
                {
                    segs.Add(new(name, Palette.ForName(line.Sender, bg, bold: true)));
                    segs.Add(new(line.Direct ? " (direct): " : ": ", dim));
                    segs.Add(new(line.Text, textAttr));
                }
                if (line.Mark.Length > 0)
                    segs.Add(new(" " + line.Mark, dim));
                return Cells.Wrap(segs, width, Cells.Columns(prefix) + 2);
        }
    }
}
