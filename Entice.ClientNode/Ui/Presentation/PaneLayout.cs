namespace Entice.ClientNode.Ui.Presentation;

/// <summary>
/// How wide each pane is for a terminal of a given width. The side panes size themselves to the names
/// in them (<see cref="Fit"/>, between <see cref="MinSide"/> and <see cref="MaxSide"/> columns) and can be
/// hidden (width 0). The messages keep at least <see cref="MinMessages"/> columns: the member list goes
/// first when the terminal narrows, then the conversation list, so at 40 columns the messages take the
/// whole width.
/// </summary>
public readonly record struct PaneLayout(int Conversations, int Messages, int Members)
{
    public const int ConversationsWidth = 22;
    public const int MembersWidth = 26;
    public const int MinMessages = 40;
    public const int MinSide = 12;
    public const int MaxSide = 30;

    public static PaneLayout For(int width) => For(width, ConversationsWidth, MembersWidth);

    /// <summary>The layout for side panes that want these widths (0: hidden).</summary>
    public static PaneLayout For(int width, int conversations, int members)
    {
        width = Math.Max(0, width);
        conversations = Math.Max(0, conversations);
        members = Math.Max(0, members);
        if (width - conversations - members >= MinMessages)
            return new(conversations, width - conversations - members, members);
        if (width - conversations >= MinMessages)
            return new(conversations, width - conversations, 0);
        return new(0, width, 0);
    }

    /// <summary>
    /// A side pane's width for these rows of text: the widest (in terminal columns) plus
    /// <paramref name="extra"/> (border, marks), bounded by <see cref="MinSide"/> and <see cref="MaxSide"/>.
    /// </summary>
    public static int Fit(IEnumerable<string> rows, int extra)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var widest = rows.Select(TextWidth.Columns).DefaultIfEmpty(0).Max();
        return Math.Clamp(widest + extra, MinSide, MaxSide);
    }
}
