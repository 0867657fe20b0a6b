using System.Text.Json;
using Entice.Client;
using Entice.ClientNode.Ui.Presentation;
using Entice.ClientNode.Ui.Views;

namespace Entice.Tests.Ui.Presentation;

public sealed class TopicSpecs
{
    private static readonly DateTimeOffset Noon = PresenterFixture.Noon;

    [Fact]
    public void Topic_TEXT_is_sent_to_the_room_as_text_and_shown_in_the_title()
    {
        var p = PresenterFixture.Alice();
        var sent = PresenterFixture.Sent(p.Submit("/topic lunch plans"));
        // A text starting with "/topic " (typed as a Say, never parsed as a command): the chat actor encrypts it.
        Assert.Equal((new UserCommand.Say("/topic lunch plans"), "lobby"), (sent.What, sent.Room));
        Assert.Equal("#lobby: lunch plans", p.PaneTitle);
        Assert.Contains("You set the topic: lunch plans", p.Lines[^1].Text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_members_topic_shows_in_the_title_and_as_a_notice_not_as_a_message()
    {
        var p = PresenterFixture.Alice();
        p.Apply(new MessageEvent("lobby", "bob", "/topic release\u001b[2J day", false, Noon));
        Assert.Equal("release␛[2J day", p.TopicOf("lobby"));
        Assert.Equal("#lobby: release␛[2J day", p.PaneTitle);
        Assert.Equal(PaneLineKind.Notice, p.Lines[^1].Kind);
        Assert.Contains("bob set the topic", p.Lines[^1].Text, StringComparison.Ordinal);
        Assert.Empty(p.Submit("/topic"));
        Assert.Contains("The topic of #lobby: release", p.Lines[^1].Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Direct_messages_never_set_a_topic_and_topic_is_refused_there()
    {
        var p = PresenterFixture.Alice();
        p.Apply(new MessageEvent("lobby", "bob", "/topic not a topic", true, Noon));
        Assert.Null(p.TopicOf("lobby"));
        p.Select(p.Conversations.ToList().FindIndex(c => c.IsDirect));
        Assert.Empty(p.Submit("/topic y"));
        Assert.Contains("/topic is for rooms", p.Lines[^1].Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Line_mode_and_json_show_a_topic_as_a_topic()
    {
        var topic = new MessageEvent("lobby", "bob", "/topic new\nline", false, Noon);
        var line = new StringWriter();
        new LineChatView(line).Show(topic);
        Assert.Equal("[lobby] * bob set the topic: new line", line.ToString().TrimEnd());
        var json = new StringWriter();
        new JsonChatView(json).Show(topic);
        using var doc = JsonDocument.Parse(json.ToString());
        Assert.Equal("topic", doc.RootElement.GetProperty("event").GetString());
        Assert.Equal("new line", doc.RootElement.GetProperty("topic").GetString());
        Assert.Equal("bob", doc.RootElement.GetProperty("from").GetString());
    }

    [Fact]
    public void Help_and_completion_know_topic()
    {
        Assert.NotNull(HelpText.For("topic"));
        Assert.Contains("/topic", TabCompletion.Commands);
    }
}
