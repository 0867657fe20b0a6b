using Terminal.Gui.App;
using Terminal.Gui.ViewBase;
using Terminal.Gui.Views;

namespace Entice.ClientNode.Ui.Tui;

/// <summary>A modal dialog with left-aligned text (MessageBox centres every line) and buttons.</summary>
internal static class TextDialog
{
    /// <returns>The index of the button pressed, or null when closed with Esc.</returns>
    public static int? Show(IApplication app, string title, string body, params string[] buttons)
    {
        using var dialog = new Dialog { Title = title };
        dialog.Add(new Label { X = 1, Y = 1, Text = body });
        foreach (var text in buttons)
            dialog.AddButton(new Button { Text = text });
        app.Run(dialog);
        return dialog.Result;
    }
}
