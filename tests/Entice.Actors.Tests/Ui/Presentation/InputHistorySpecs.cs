using Entice.ClientNode.Ui.Presentation;

namespace Entice.Tests.Ui.Presentation;

public sealed class InputHistorySpecs
{
    [Fact]
    public void Up_walks_back_and_down_returns_to_the_draft()
    {
        var h = new InputHistory();
        h.Add("one");
        h.Add("two");
        Assert.Equal("two", h.Older("draft"));
        Assert.Equal("one", h.Older("two"));
        Assert.Equal("one", h.Older("one")); // stops at the oldest
        Assert.Equal("two", h.Newer("one"));
        Assert.Equal("draft", h.Newer("two"));
        Assert.Equal("draft", h.Newer("draft"));
    }

    [Fact]
    public void Blank_lines_and_repeats_are_not_kept_and_the_size_is_bounded()
    {
        var h = new InputHistory(capacity: 3);
        foreach (var line in new[] { "a", "a", " ", "b", "c", "d" })
            h.Add(line);
        Assert.Equal(["b", "c", "d"], h.Lines);
    }

    [Fact]
    public void Multi_byte_text_comes_back_intact()
    {
        var h = new InputHistory();
        h.Add("grüße 你好 👋");
        Assert.Equal("grüße 你好 👋", h.Older(""));
    }

    [Fact]
    public void An_empty_history_leaves_the_line_alone()
    {
        var h = new InputHistory();
        Assert.Equal("typing", h.Older("typing"));
        Assert.Equal("typing", h.Newer("typing"));
    }

    [Fact]
    public void Lines_too_long_to_browse_are_not_kept()
    {
        // 200 pasted megabyte lines would otherwise stay in memory for the whole run.
        var h = new InputHistory();
        h.Add("short");
        h.Add(new string('x', InputHistory.MaxLineLength + 1));
        Assert.Equal(["short"], h.Lines);
        Assert.Equal("short", h.Older(""));
    }
}
