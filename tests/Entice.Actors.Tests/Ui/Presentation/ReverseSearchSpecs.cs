using Entice.ClientNode.Ui.Presentation;

namespace Entice.Tests.Ui.Presentation;

public sealed class ReverseSearchSpecs
{
    private static readonly string[] Typed = ["/join games", "hello bob", "the wifi password is 1234", "Hello again", "/verify bob"];

    [Fact]
    public void Typing_finds_the_newest_line_containing_the_query_case_insensitively()
    {
        var r = new ReverseSearch();
        r.Start(Typed, "draft");
        r.Type("h");
        r.Type("el");
        Assert.Equal("Hello again", r.Match);
        Assert.Equal("(reverse-i-search)'hel': Hello again", r.Prompt);
    }

    [Fact]
    public void Ctrl_R_again_goes_to_older_matches_and_says_when_there_is_none()
    {
        var r = new ReverseSearch();
        r.Start(Typed, "");
        r.Type("bob");
        Assert.Equal("/verify bob", r.Match);
        r.Older();
        Assert.Equal("hello bob", r.Match);
        r.Older();
        Assert.True(r.Failing);
        Assert.Equal("hello bob", r.Match);
        Assert.StartsWith("(failing reverse-i-search)", r.Prompt, StringComparison.Ordinal);
    }

    [Fact]
    public void Backspace_widens_the_search_again()
    {
        var r = new ReverseSearch();
        r.Start(Typed, "");
        r.Type("wifiz");
        Assert.True(r.Failing);
        r.Backspace();
        Assert.False(r.Failing);
        Assert.Equal("the wifi password is 1234", r.Match);
    }

    [Fact]
    public void Enter_takes_the_match_and_Esc_gives_back_the_draft()
    {
        var r = new ReverseSearch();
        r.Start(Typed, "draft");
        r.Type("games");
        Assert.Equal("/join games", r.Accept());
        Assert.False(r.Active);
        r.Start(Typed, "draft");
        r.Type("games");
        Assert.Equal("draft", r.Cancel());
        r.Start(Typed, "draft");
        Assert.Equal("draft", r.Accept()); // nothing searched: nothing changes
    }

    [Fact]
    public void Ctrl_R_with_an_empty_query_repeats_the_last_search()
    {
        var r = new ReverseSearch();
        r.Start(Typed, "");
        r.Type("hello");
        r.Accept();
        r.Start(Typed, "");
        r.Older();
        Assert.Equal("Hello again", r.Match);
    }
}
