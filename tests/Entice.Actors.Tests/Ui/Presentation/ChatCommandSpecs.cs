using Entice.Client;
using static Entice.Tests.Ui.Presentation.PresenterFixture;
using Entice.ClientNode.Ui.Presentation;

namespace Entice.Tests.Ui.Presentation;

/// <summary>The commands irssi and weechat users type without thinking.</summary>
public sealed class ChatCommandSpecs
{
    [Fact]
    public void Part_is_leave_for_rooms_and_closes_a_direct_conversation()
    {
        var p = Alice();
        Assert.Equal((new UserCommand.Leave(null), "lobby"), (Sent(p.Submit("/part")).What, Sent(p.Submit("/part")).Room));
        Assert.Equal(new UserCommand.Leave("games"), Sent(p.Submit("/PART games")).What);
        Assert.Equal(UserCommand.Parse("/leave games"), Sent(p.Submit("/part games")).What);

        p.Submit("/query bob");
        Assert.Empty(p.Submit("/part"));
        Assert.Equal(["#lobby"], p.Conversations.Select(c => c.Title));
    }

    [Fact]
    public void Query_opens_the_direct_conversation_without_sending_anything()
    {
        var p = Alice();
        Assert.Empty(p.Submit("/query carol"));
        Assert.Equal("@carol", p.Selected!.Title);
        Assert.Equal(new UserCommand.Direct("carol", "hi"), Sent(p.Submit("hi")).What);

        p.Select(0);
        var line = Sent(p.Submit("/query dave hello there"));
        Assert.Equal(new UserCommand.Direct("dave", "hello there"), line.What);
        Assert.Equal("@dave", p.Selected!.Title);
        Assert.Equal("hello there", p.Lines[^1].Text);

        Assert.Empty(p.Submit("/query"));
        Assert.Contains("usage: /query NAME", p.Lines[^1].Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Names_lists_the_members_here_and_the_away_ones_but_not_those_who_left()
    {
        var p = Alice();
        p.Apply(new MemberJoinedEvent("lobby", "carol"));
        p.Apply(new MemberAwayEvent("lobby", "dave"));
        p.Apply(new MemberJoinedEvent("lobby", "erin"));
        p.Apply(new MemberLeftEvent("lobby", "erin"));
        p.Apply(new MemberAwayEvent("lobby", "carol"));
        Assert.Empty(p.Submit("/names"));
        Assert.Equal("In #lobby: alice (you), bob; away: carol, dave", p.Lines[^1].Text);

        p.Apply(new MemberJoinedEvent("lobby", "carol"));
        p.Submit("/names");
        Assert.Equal("In #lobby: alice (you), bob, carol; away: dave", p.Lines[^1].Text);
    }

    [Fact]
    public void Names_shows_peer_names_visibly()
    {
        var p = Alice();
        p.Apply(new MemberAwayEvent("lobby", "ev\u001b[2Jil"));
        p.Submit("/names");
        Assert.DoesNotContain('\u001b', p.Lines[^1].Text);
        Assert.Contains("ev␛[2Jil", p.Lines[^1].Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Clear_empties_the_selected_pane_only()
    {
        var p = Alice();
        p.Apply(new RoomEnteredEvent("games"));
        p.Apply(new MessageEvent("games", "bob", "one", false, Noon));
        p.Apply(new MessageEvent("lobby", "bob", "two", false, Noon));
        Assert.Empty(p.Submit("/clear"));
        Assert.Empty(p.Lines);
        p.Apply(new MessageEvent("games", "bob", "three", false, Noon));
        Assert.Equal([PaneLineKind.DaySeparator, PaneLineKind.Message], p.Lines.Select(l => l.Kind));
        p.Select(0);
        Assert.Contains(p.Lines, l => l.Text == "two");
    }

    [Fact]
    public void Nick_explains_that_names_are_tied_to_identities()
    {
        var p = Alice();
        Assert.Empty(p.Submit("/nick alicia"));
        var text = p.Lines[^1].Text;
        Assert.Contains("identity key", text, StringComparison.Ordinal);
        Assert.Contains("--key-dir", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Help_for_one_command_shows_its_lines_in_the_pane()
    {
        var p = Alice();
        Assert.Empty(p.Submit("/help join"));
        Assert.Equal("/join ROOM: enter a room (or switch to it)", p.Lines[^1].Text);
        Assert.Empty(p.Submit("/help /part"));
        Assert.StartsWith("/leave [ROOM]:", p.Lines[^1].Text, StringComparison.Ordinal);
        Assert.Empty(p.Submit("/help frobnicate"));
        Assert.Equal(PaneLineKind.Error, p.Lines[^1].Kind);
        Assert.IsType<InputAction.ShowHelp>(Assert.Single(p.Submit("/help")));
    }

    [Fact]
    public void The_help_lists_every_command_tab_completes_and_verified()
    {
        var help = HelpText.Render();
        Assert.Contains("/verified NAME", help, StringComparison.Ordinal);
        Assert.All(TabCompletion.Commands, c => Assert.NotNull(HelpText.For(c)));
        Assert.Contains("Alt+A", help, StringComparison.Ordinal);
        Assert.Contains("F2 / F3", help, StringComparison.Ordinal);
    }

    [Fact]
    public void Each_help_page_fits_an_80_by_24_terminal_inside_its_dialog()
    {
        foreach (var page in new[] { HelpText.RenderCommands(), HelpText.RenderKeys() })
        {
            var lines = page.Split('\n');
            Assert.InRange(lines.Length, 10, 17); // the dialog adds 6 rows, the status bar 1
            Assert.All(lines, l => Assert.InRange(TextWidth.Columns(l), 0, 74)); // the dialog adds 4 columns
        }
    }

    [Fact]
    public void Me_sends_an_action_as_text_and_shows_it_as_star_name_text()
    {
        var p = Alice();
        var sent = Sent(p.Submit("/me waves"));
        // The chat actor sends it as the text "/me waves" (no new command): an action for every client.
        Assert.Equal(new UserCommand.Say("/me waves"), sent.What);
        Assert.Equal($"12:00 {PaneLine.OwnMarker} * alice waves", p.Lines[^1].Plain);

        p.Apply(new MessageEvent("lobby", "bob", "/me waves back at alice", false, Noon));
        var line = p.Lines[^1];
        Assert.True(line.Action);
        Assert.True(line.Mention);
        Assert.Equal($"12:00 {PaneLine.MentionMarker} * bob waves back at alice", line.Plain);

        p.Submit("/query bob");
        Assert.Equal(new UserCommand.Direct("bob", "/me shrugs"), Sent(p.Submit("/me shrugs")).What);
        Assert.Empty(p.Submit("/me"));
        Assert.Equal(PaneLineKind.Error, p.Lines[^1].Kind);
    }

    [Fact]
    public void A_text_that_only_starts_with_me_is_no_action()
    {
        var p = Alice();
        p.Apply(new MessageEvent("lobby", "bob", "/meh", false, Noon));
        Assert.False(p.Lines[^1].Action);
        p.Apply(new MessageEvent("lobby", "bob", "/me ", false, Noon));
        Assert.False(p.Lines[^1].Action);
    }
}
