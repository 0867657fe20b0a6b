using Entice.Client;
using static Entice.Tests.Ui.Presentation.PresenterFixture;
using Entice.ClientNode.Ui.Presentation;

namespace Entice.Tests.Ui.Presentation;

public sealed class TabCompletionSpecs
{
    private static readonly IReadOnlyList<string> NoRooms = [];

    private static string? Tab(TabCompletion c, string before, IReadOnlyList<string> names, IReadOnlyList<string>? rooms = null, string after = "") =>
        c.Complete(before, after, () => names, () => rooms ?? NoRooms);

    [Fact]
    public void A_name_at_the_start_of_the_line_gets_a_colon_as_in_irssi()
    {
        var c = new TabCompletion();
        Assert.Equal("bob: ", Tab(c, "b", ["bob", "carol"]));
    }

    [Fact]
    public void A_name_later_in_the_line_gets_a_space_and_case_does_not_matter()
    {
        var c = new TabCompletion();
        Assert.Equal("thanks Carol ", Tab(c, "thanks car", ["bob", "Carol"]));
    }

    [Fact]
    public void Repeated_tab_cycles_through_the_matches_and_wraps()
    {
        var c = new TabCompletion();
        string[] names = ["bob", "bobby", "carol"];
        var first = Tab(c, "bo", names);
        Assert.Equal("bob: ", first);
        var second = Tab(c, first!, names);
        Assert.Equal("bobby: ", second);
        Assert.Equal("bob: ", Tab(c, second!, names));
    }

    [Fact]
    public void Typing_something_else_starts_a_new_completion()
    {
        var c = new TabCompletion();
        string[] names = ["bob", "bobby", "carol"];
        Assert.Equal("bob: ", Tab(c, "bo", names));
        Assert.Equal("bob: carol ", Tab(c, "bob: c", names));
        c.Reset(); // any other key
        Assert.Equal("bob: carol bob ", Tab(c, "bob: carol b", names));
        Assert.Equal("bob: ", Tab(c, "bo", names));
        c.Reset();
        Assert.Equal("bob: bob ", Tab(c, "bob: ", names)); // a new word, not the cycle's bobby
    }

    [Fact]
    public void Commands_complete_after_a_slash_and_rooms_after_join()
    {
        var c = new TabCompletion();
        Assert.Equal("/query ", Tab(c, "/qu", ["quentin"]));
        c.Reset();
        Assert.Equal("/join games ", Tab(c, "/join ga", ["gary"], ["lobby", "games"]));
        c.Reset();
        Assert.Equal("/msg bob ", Tab(c, "/msg b", ["bob"]));
    }

    [Fact]
    public void The_text_after_the_cursor_stays_and_no_match_changes_nothing()
    {
        var c = new TabCompletion();
        Assert.Null(Tab(c, "zz", ["bob"]));
        Assert.Equal("bob: ", Tab(c, "b", ["bob"], after: "see this"));
    }

    [Fact]
    public void Names_with_control_characters_or_spaces_are_never_completed()
    {
        var c = new TabCompletion();
        Assert.Null(Tab(c, "b", ["b\u001b[2Job", "b ob", "b\u202eob"]));
    }

    [Fact]
    public void The_presenter_offers_the_conversation_members_first_without_yourself()
    {
        var p = Alice();
        p.Apply(new RoomEnteredEvent("games"));
        p.Apply(new MemberJoinedEvent("games", "zed"));
        p.Apply(new MemberJoinedEvent("games", "alice"));
        Assert.Equal(["zed", "bob"], p.CompletionNames());
        Assert.Equal(["lobby", "games"], p.RoomNames());
        var c = new TabCompletion();
        Assert.Equal("zed: ", c.Complete("", "", p.CompletionNames, p.RoomNames));
        Assert.Equal("bob: ", c.Complete("zed: ", "", p.CompletionNames, p.RoomNames));
    }

    [Fact]
    public void The_input_line_takes_the_completion_before_the_cursor()
    {
        var line = new InputLine();
        line.Text = "hi b, how are you";
        for (var i = 0; i < "how are you".Length + 2; i++)
            line.Left();
        Assert.Equal("hi b", line.BeforeCursor);
        line.ReplaceBeforeCursor("hi bob ");
        Assert.Equal("hi bob , how are you", line.Text);
        Assert.Equal("hi bob ", line.BeforeCursor);
    }
}
