using Terminal.Gui.Drawing;
using Terminal.Gui.Input;
using Terminal.Gui.ViewBase;
using Entice.ClientNode.Ui.Presentation;

namespace Entice.ClientNode.Ui.Tui;

/// <summary>Rooms and direct conversations, numbered for Alt+1..9, with unread counts; click to switch.</summary>
internal sealed class ConversationList : View
{
    private readonly ChatPresenter _presenter;

    public event Action<int>? Picked;

    public ConversationList(ChatPresenter presenter)
    {
        _presenter = presenter;
        CanFocus = false;
        BorderStyle = LineStyle.Rounded;
        Title = "Conversations";
    }

    protected override bool OnMouseEvent(Mouse mouse)
    {
        if (mouse.Flags.HasFlag(MouseFlags.LeftButtonClicked) && mouse.Position is { } p && p.Y < _presenter.Conversations.Count)
        {
            Picked?.Invoke(p.Y);
            return true;
        }
        return base.OnMouseEvent(mouse);
    }

    protected override bool OnDrawingContent(DrawContext? context)
    {
        var normal = GetAttributeForRole(VisualRole.Normal);
        var bg = normal.Background;
        FillRect(Viewport with { X = 0, Y = 0 }, (Color?)bg);
        var width = Viewport.Width;
        for (var i = 0; i < _presenter.Conversations.Count && i < Viewport.Height; i++)
        {
            var c = _presenter.Conversations[i];
            var selected = i == _presenter.SelectedIndex;
            var key = i < 9 ? $"{i + 1} " : "  ";
            var unread = c.Unread > 0 ? $" ({c.Unread})" : "";
            // Widths in columns per grapheme: a wide or emoji title must not push the border.
            var text = TextWidth.PadTo(key + c.Title, Math.Max(0, width - unread.Length)) + unread;
            var attr = selected
                ? Palette.Fg(ColorName16.Black, new Color(ColorName16.BrightCyan), TextStyle.Bold)
                : c.Highlights > 0 ? Palette.Fg(ColorName16.BrightMagenta, bg, TextStyle.Bold)
                : c.Unread > 0 ? Palette.Fg(ColorName16.BrightYellow, bg, TextStyle.Bold) : normal;
            Move(0, i);
            SetAttribute(attr);
            AddStr(text);
        }
        return true;
    }
}

/// <summary>Members of the selected conversation: online/offline, verified, trusted, KEY CHANGED.</summary>
internal sealed class MemberPane : View
{
    private readonly ChatPresenter _presenter;

    public MemberPane(ChatPresenter presenter)
    {
        _presenter = presenter;
        CanFocus = false;
        BorderStyle = LineStyle.Rounded;
        Title = "Members";
    }

    protected override bool OnDrawingContent(DrawContext? context)
    {
        var bg = GetAttributeForRole(VisualRole.Normal).Background;
        FillRect(Viewport with { X = 0, Y = 0 }, (Color?)bg);
        var y = 0;
        foreach (var m in _presenter.Members)
        {
            if (y + 1 >= Viewport.Height)
                break;
            Move(0, y);
            var markAttr = m.Key switch
            {
                KeyState.Changed => Palette.Fg(ColorName16.White, new Color(ColorName16.Red), TextStyle.Bold),
                KeyState.Verified => Palette.Fg(ColorName16.BrightGreen, bg, TextStyle.Bold),
                KeyState.Trusted => Palette.Fg(ColorName16.Green, bg),
                _ => Palette.Fg(ColorName16.Gray, bg),
            };
            SetAttribute(markAttr);
            AddStr(m.KeyMark);
            SetAttribute(Palette.Fg(m.Online ? ColorName16.BrightGreen : ColorName16.DarkGray, bg));
            AddStr(m.Online ? "●" : "○");
            SetAttribute(m.Online ? Palette.ForName(m.Name, bg, bold: m.IsMe) : Palette.Fg(ColorName16.DarkGray, bg));
            AddStr(" " + TextWidth.Truncate(m.Label, Math.Max(0, Viewport.Width - 3)));
            Move(3, y + 1);
            SetAttribute(m.Key == KeyState.Changed ? Palette.Fg(ColorName16.BrightRed, bg, TextStyle.Bold) : Palette.Fg(ColorName16.DarkGray, bg));
            AddStr(TextWidth.Truncate(m.StateText, Math.Max(0, Viewport.Width - 3)));
            y += 2;
        }
        return true;
    }
}

/// <summary>The bottom line: server, connection, conversation, own name and short fingerprint.</summary>
internal sealed class StatusLine : View
{
    private readonly ChatPresenter _presenter;

    public StatusLine(ChatPresenter presenter)
    {
        _presenter = presenter;
        CanFocus = false;
    }

    protected override bool OnDrawingContent(DrawContext? context)
    {
        var bg = new Color(_presenter.Connection == ConnectionState.Connected ? ColorName16.Blue : ColorName16.Red);
        var attr = Palette.Fg(ColorName16.White, bg);
        FillRect(Viewport with { X = 0, Y = 0 }, (Color?)bg);
        Move(0, 0);
        SetAttribute(attr);
        AddStr(TextWidth.Truncate(_presenter.StatusText, Viewport.Width));
        return true;
    }
}
