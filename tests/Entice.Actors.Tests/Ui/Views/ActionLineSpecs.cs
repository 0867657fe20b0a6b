using Entice.Client;
using Entice.ClientNode.Ui.Views;

namespace Entice.Tests.Ui.Views;

/// <summary>/me and /part in line mode: text conventions and aliases, no new chat-actor command.</summary>
public sealed class ActionLineSpecs
{
    [Theory]
    [InlineData("/me waves", "/me waves")]
    [InlineData("/ME  waves at bob", "/me waves at bob")]
    public void Me_is_said_as_text_starting_with_me(string line, string said) =>
        Assert.Equal(said, Assert.IsType<UserCommand.Say>(UserCommand.Parse(line)).Text);

    [Fact]
    public void Me_without_text_and_part_parse()
    {
        Assert.IsType<UserCommand.Invalid>(UserCommand.Parse("/me"));
        Assert.Equal(new UserCommand.Leave(null), UserCommand.Parse("/part"));
        Assert.Equal(new UserCommand.Leave("games"), UserCommand.Parse("/part games"));
    }

    [Fact]
    public void The_line_view_shows_an_action_as_star_name_text()
    {
        var output = new StringWriter();
        var view = new LineChatView(output);
        view.Show(new MessageEvent("lobby", "bob", "/me waves", false, DateTimeOffset.UnixEpoch));
        view.Show(new MessageEvent("lobby", "bob", "/me \u001b[2J", true, DateTimeOffset.UnixEpoch));
        view.Show(new MessageEvent("lobby", "bob", "/meh", false, DateTimeOffset.UnixEpoch));
        Assert.Equal(["[lobby] * bob waves", "[lobby] * bob (direct) ␛[2J", "[lobby] bob: /meh"],
            output.ToString().TrimEnd().Split(Environment.NewLine));
    }
}
