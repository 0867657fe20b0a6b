using Entice.Client;

namespace Entice.ClientNode.Ui.Views;

/// <summary>
/// A room's topic, set by any member with <c>/topic TEXT</c>: sent end-to-end encrypted to the room as
/// the text <c>/topic TEXT</c> (as <c>/me</c> is), so the relay cannot tell it from a message. Every view
/// shows it as a topic: the UI in the room's title, line mode as <c>* bob set the topic</c>, JSON as a
/// <c>topic</c> event. One line, at most <see cref="MaxLength"/> characters (the rest is cut).
/// </summary>
public static class RoomTopic
{
    public const string Prefix = "/topic ";
    public const int MaxLength = 200;

    /// <summary>The topic a room message sets, or null when it is not a topic (direct messages never are).</summary>
    public static string? Of(MessageEvent message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.Direct || !message.Text.StartsWith(Prefix, StringComparison.Ordinal) || message.Text.Length == Prefix.Length)
            return null;
        var topic = message.Text[Prefix.Length..].Replace('\r', ' ').Replace('\n', ' ').Trim();
        return topic.Length == 0 ? null : topic.Length > MaxLength ? topic[..MaxLength] + "…" : topic;
    }
}
