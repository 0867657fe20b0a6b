using Entice.Client;
using static Entice.Tests.Ui.Presentation.PresenterFixture;
using Entice.ClientNode.Ui.Presentation;
using Entice.ClientNode.Ui.Views;

namespace Entice.Tests.Ui.Presentation;

public sealed class MentionSpecs
{
    [Theory]
    [InlineData("hi alice", true)]
    [InlineData("ALICE: look", true)]
    [InlineData("(Alice)", true)]
    [InlineData("alice's turn", true)]
    [InlineData("malice aforethought", false)]
    [InlineData("alicea", false)]
    [InlineData("alice_2 is here", false)]
    [InlineData("nobody", false)]
    public void A_mention_is_the_name_as_a_whole_word_in_any_case(string text, bool mentions) =>
        Assert.Equal(mentions, Mentions.Contains(text, "alice"));

    [Fact]
    public void A_message_with_your_name_is_highlighted_and_rings_the_bell()
    {
        var p = Alice();
        var effects = p.Apply(new MessageEvent("lobby", "bob", "hey Alice, lunch?", false, Noon));
        Assert.IsType<UiEffect.Bell>(Assert.Single(effects));
        var line = p.Lines[^1];
        Assert.True(line.Mention);
        Assert.Equal($"12:00 {PaneLine.MentionMarker} bob: hey Alice, lunch?", line.Plain);

        Assert.Empty(p.Apply(new MessageEvent("lobby", "bob", "malice", false, Noon)));
        Assert.False(p.Lines[^1].Mention);
        Assert.Equal("12:00   bob: malice", p.Lines[^1].Plain);
    }

    [Fact]
    public void Your_own_message_with_your_name_is_no_mention()
    {
        var p = Alice();
        Sent(p.Submit("alice is back"));
        Assert.False(p.Lines[^1].Mention);
    }

    [Fact]
    public void A_direct_message_rings_the_bell_and_counts_as_a_highlight()
    {
        var p = Alice();
        Assert.IsType<UiEffect.Bell>(Assert.Single(p.Apply(new MessageEvent("lobby", "bob", "psst", true, Noon))));
        var dm = p.Conversations.Single(c => c.IsDirect);
        Assert.Equal((1, 1), (dm.Unread, dm.Highlights));
    }

    [Fact]
    public void Alt_A_goes_to_mentions_and_direct_messages_first_then_other_activity()
    {
        var p = Alice();
        p.Apply(new RoomEnteredEvent("games"));
        p.Apply(new RoomEnteredEvent("music"));
        p.Select(0); // #lobby
        p.Apply(new MessageEvent("games", "bob", "anyone?", false, Noon));
        p.Apply(new MessageEvent("music", "bob", "alice, listen", false, Noon));
        p.Apply(new MessageEvent("lobby", "carol", "psst", true, Noon));
        Assert.Equal([("#lobby", 0, 0), ("#games", 1, 0), ("#music", 1, 1), ("@carol", 1, 1)],
            p.Conversations.Select(c => (c.Title, c.Unread, c.Highlights)));

        Assert.True(p.SelectNextActive());
        Assert.Equal("#music", p.Selected!.Title);
        Assert.True(p.SelectNextActive());
        Assert.Equal("@carol", p.Selected!.Title);
        Assert.True(p.SelectNextActive());
        Assert.Equal("#games", p.Selected!.Title);
        Assert.False(p.SelectNextActive());
        Assert.Equal("#games", p.Selected!.Title);
        Assert.All(p.Conversations, c => Assert.Equal((0, 0), (c.Unread, c.Highlights)));
    }
}
