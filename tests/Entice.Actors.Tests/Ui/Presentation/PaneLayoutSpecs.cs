using Entice.ClientNode.Ui.Presentation;

namespace Entice.Tests.Ui.Presentation;

public sealed class PaneLayoutSpecs
{
    [Fact]
    public void Side_panes_fit_the_names_in_them_within_bounds()
    {
        Assert.Equal(PaneLayout.MinSide, PaneLayout.Fit(["1 #a"], extra: 2));
        Assert.Equal(17, PaneLayout.Fit(["1 #lobby (99)", "2 @bob (99)", "3 #x"], extra: 4));
        Assert.Equal(PaneLayout.MaxSide, PaneLayout.Fit([new string('n', 200)], extra: 2));
        // Columns, not characters: a wide name takes two per character.
        Assert.Equal(2 * 10 + 2, PaneLayout.Fit([new string('李', 10)], extra: 2));
        Assert.Equal(PaneLayout.MinSide, PaneLayout.Fit([], extra: 2));
    }

    [Fact]
    public void A_hidden_pane_gives_its_width_to_the_messages()
    {
        Assert.Equal(new PaneLayout(15, 90, 15), PaneLayout.For(120, 15, 15));
        Assert.Equal(new PaneLayout(0, 105, 15), PaneLayout.For(120, 0, 15));
        Assert.Equal(new PaneLayout(15, 105, 0), PaneLayout.For(120, 15, 0));
        Assert.Equal(new PaneLayout(0, 120, 0), PaneLayout.For(120, 0, 0));
    }

    [Fact]
    public void Narrow_terminals_still_keep_the_messages_readable()
    {
        Assert.Equal(new PaneLayout(20, 50, 0), PaneLayout.For(70, 20, 20));
        Assert.Equal(new PaneLayout(20, 40, 0), PaneLayout.For(60, 20, 20));
        Assert.Equal(new PaneLayout(0, 50, 0), PaneLayout.For(50, 20, 20));
    }
}
