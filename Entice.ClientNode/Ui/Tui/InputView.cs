using Terminal.Gui.Drawing;
using Terminal.Gui.Drivers;
using Terminal.Gui.Input;
using Terminal.Gui.ViewBase;
using Entice.ClientNode.Ui.Presentation;

namespace Entice.ClientNode.Ui.Tui;

/// <summary>
/// The input line: draws <see cref="InputLine"/> (the editing itself lives there, with its specs) and
/// turns keys into its operations. Drawing costs the width of the screen, whatever the length of the
/// text, and keeps no undo copies (Terminal.Gui's TextField did, per key: a 10 KB paste typed as keys
/// took gigabytes). Enter and typed keys go through <see cref="Typed"/> first so the window can tell a
/// paste from typing.
/// </summary>
internal sealed class InputView : View
{
    public InputView()
    {
        CanFocus = true;
    }

    public InputLine Line { get; } = new();

    /// <summary>Shown instead of the line while set (Ctrl+R's search prompt); the line stays as it is.</summary>
    public string? Overlay
    {
        get;
        set
        {
            field = value;
            SetNeedsDraw();
        }
    }

    /// <summary>Tab: true when it completed (or found nothing to complete); false inserts a space (a paste).</summary>
    public Func<bool>? Tab { get; set; }

    /// <summary>Any key other than Tab that edits the line (ends a completion cycle).</summary>
    public event Action? Edited;

    /// <summary>Called before a key that edits the line (Enter included: <c>true</c>).</summary>
    public event Action<bool>? Typed;

    public string Value
    {
        get => Line.Text;
        set
        {
            Line.Text = value;
            SetNeedsDraw();
        }
    }

    public void Insert(string text)
    {
        Line.Insert(text);
        SetNeedsDraw();
    }

    protected override bool OnKeyDown(Key key)
    {
        if (key == Key.Enter)
        {
            Typed?.Invoke(true);
            return true;
        }
        var handled = true;
        if (key == Key.A.WithCtrl || key == Key.Home)
            Line.Home();
        else if (key == Key.E.WithCtrl || key == Key.End)
            Line.End();
        else if (key == Key.U.WithCtrl)
            Line.KillToStart();
        else if (key == Key.W.WithCtrl || key == Key.Backspace.WithCtrl)
            Line.KillWordBack();
        else if (key == Key.K.WithCtrl)
            Line.KillToEnd();
        else if (key == Key.Y.WithCtrl)
            Line.Yank();
        else if (key == Key.B.WithCtrl || key == Key.CursorLeft)
            Line.Left();
        else if (key == Key.F.WithCtrl || key == Key.CursorRight)
            Line.Right();
        else if (key == Key.Backspace || key == Key.H.WithCtrl)
            Line.Backspace();
        else if (key == Key.Delete || key == Key.D.WithCtrl)
            Line.Delete();
        else if (key == Key.Tab)
        {
            if (Tab?.Invoke() != true)
            {
                Typed?.Invoke(false);
                Line.Insert(" ");
            }
            SetNeedsDraw();
            return true;
        }
        else if (!key.IsCtrl && !key.IsAlt && key.AsGrapheme is { Length: > 0 } g && g[0] >= ' ')
        {
            Typed?.Invoke(false);
            Line.Insert(g);
        }
        else
            handled = false;
        if (handled)
        {
            Edited?.Invoke();
            SetNeedsDraw();
        }
        return handled;
    }

    private static (string Text, int Cursor) OverlayView(string overlay, int width)
    {
        var text = TextWidth.Truncate(overlay, width);
        return (text, Math.Min(TextWidth.Columns(text), width - 1));
    }

    protected override bool OnDrawingContent(DrawContext? context)
    {
        var width = Viewport.Width;
        if (width <= 0)
            return true;
        var normal = GetAttributeForRole(VisualRole.Normal);
        FillRect(Viewport with { X = 0, Y = 0 }, (Color?)normal.Background);
        var (text, cursor) = Overlay is { } overlay ? OverlayView(overlay, width) : Line.View(width);
        Move(0, 0);
        SetAttribute(normal);
        AddStr(text);
        if (HasFocus)
            Cursor = new Cursor { Position = ViewportToScreen(new System.Drawing.Point(cursor, 0)), Style = CursorStyle.BlinkingBar };
        return true;
    }
}
