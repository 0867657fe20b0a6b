using Entice.Client;
using Entice.ClientNode.Ui.Views;
using Entice.Display;

namespace Entice.ClientNode.Ui.Presentation;

/// <summary>Room topics (<see cref="RoomTopic"/>): set with <c>/topic TEXT</c>, shown in the room's title.</summary>
public sealed partial class ChatPresenter
{
    private readonly Dictionary<string, string> _topics = new(StringComparer.Ordinal);

    /// <summary>The room's topic as shown (control characters made visible), or null.</summary>
    public string? TopicOf(string room) => _topics.GetValueOrDefault(room);

    // A room message that sets the topic: shown as a notice and in the title, not as a message.
    private bool ApplyTopic(ChatEvent e)
    {
        if (e is not MessageEvent m || RoomTopic.Of(m) is not { } topic)
            return false;
        _topics[m.Room] = PeerText.Visible(topic);
        Notice(_conversations[OpenRoom(m.Room)], $"{PeerText.Visible(m.From)} set the topic: {_topics[m.Room]}");
        return true;
    }

    // /topic shows the selected room's topic; /topic TEXT sets it for every member (end-to-end encrypted).
    private IReadOnlyList<InputAction> TopicCommand(string line, Conversation? selected)
    {
        if (selected is null or { IsDirect: true })
        {
            Error(CurrentOrSystem(), "/topic is for rooms; select a room first.");
            return [];
        }
        var text = line.Length > "/topic".Length ? line["/topic".Length..].Trim() : "";
        if (text.Length == 0)
        {
            Notice(selected, TopicOf(selected.Name) is { } topic ? $"The topic of {selected.Title}: {topic}" : $"{selected.Title} has no topic; /topic TEXT sets one.");
            return [];
        }
        var own = RoomTopic.Of(new MessageEvent(selected.Name, Me, RoomTopic.Prefix + text, false, _now()))!;
        _topics[selected.Name] = PeerText.Visible(own);
        Notice(selected, $"You set the topic: {_topics[selected.Name]}");
        // The topic travels as a message whose text starts with "/topic " (as /me does), end-to-end encrypted.
        return [new InputAction.Send(new ChatClient.Command(new UserCommand.Say(RoomTopic.Prefix + text), selected.Name))];
    }
}
