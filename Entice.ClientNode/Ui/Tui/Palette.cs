using Terminal.Gui.Drawing;
using Attribute = Terminal.Gui.Drawing.Attribute;

namespace Entice.ClientNode.Ui.Tui;

/// <summary>Colours of the chat screen; name colours are picked by <see cref="Entice.ClientNode.Ui.Presentation.NameColors"/>.</summary>
internal static class Palette
{
    public static readonly ColorName16[] Names =
    [
        ColorName16.BrightCyan, ColorName16.BrightGreen, ColorName16.BrightYellow, ColorName16.BrightMagenta,
        ColorName16.BrightBlue, ColorName16.Cyan, ColorName16.Green, ColorName16.Yellow, ColorName16.Magenta,
        ColorName16.BrightRed,
    ];

    public static Attribute Fg(ColorName16 fg, Color bg, TextStyle style = TextStyle.None) => new(new Color(fg), bg, style);

    public static Attribute ForName(string name, Color bg, bool bold = false) =>
        Fg(Names[Entice.ClientNode.Ui.Presentation.NameColors.IndexFor(name, Names.Length)], bg, bold ? TextStyle.Bold : TextStyle.None);
}
