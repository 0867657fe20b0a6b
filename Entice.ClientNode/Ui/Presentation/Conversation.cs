using Entice.ClientNode.Ui.Views;
using Entice.Display;

namespace Entice.ClientNode.Ui.Presentation;

/// <summary>A room, or a direct conversation with one person.</summary>
public sealed class Conversation
{
    internal Conversation(string name, bool direct)
    {
        Name = name;
        IsDirect = direct;
    }

    /// <summary>The room name, or the peer's name for a direct conversation.</summary>
    public string Name { get; }

    public bool IsDirect { get; }

    /// <summary>How the list shows it: <c>#lobby</c> or <c>@bob</c>.</summary>
    public string Title => IsDirect ? $"@{PeerText.Visible(Name)}" : $"#{PeerText.Visible(Name)}";

    public int Unread { get; internal set; }

    /// <summary>Unread messages that mention you, or unread direct messages: what Alt+A goes to first.</summary>
    public int Highlights { get; internal set; }

    public List<PaneLine> Lines { get; } = [];

    /// <summary>For a direct conversation: the room the last message came through (a hint for the reply).</summary>
    public string? ViaRoom { get; internal set; }

    internal DateOnly? LastDay { get; set; }
}
