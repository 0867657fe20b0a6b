namespace Entice.Client.Presentation;

/// <summary>
/// How wide each pane is for a terminal of a given width. The messages keep at least
/// <see cref="MinMessages"/> columns: the member list goes first when the terminal narrows, then the
/// conversation list, so at 40 columns the messages take the whole width.
/// </summary>
public readonly record struct PaneLayout(int Conversations, int Messages, int Members)
{
    public const int ConversationsWidth = 22;
    public const int MembersWidth = 26;
    public const int MinMessages = 40;

    public static PaneLayout For(int width)
    {
        width = Math.Max(0, width);
        if (width - ConversationsWidth - MembersWidth >= MinMessages)
            return new(ConversationsWidth, width - ConversationsWidth - MembersWidth, MembersWidth);
        if (width - ConversationsWidth >= MinMessages)
            return new(ConversationsWidth, width - ConversationsWidth, 0);
        return new(0, width, 0);
    }
}
