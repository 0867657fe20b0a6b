using Entice.ClientNode.Ui.Views;

namespace Entice.Tests.Ui.Views;

public sealed class LineModeHistorySpecs
{
    [Theory]
    [InlineData("/search hello")]
    [InlineData("/forget")]
    [InlineData("/FORGET yes")]
    public void Search_and_forget_say_that_line_mode_keeps_no_history(string line)
    {
        var answer = LineModeHistory.Answer(line);
        Assert.NotNull(answer);
        Assert.Contains("line and JSON modes keep none", answer.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("search hello")]
    [InlineData("//search hello")]
    [InlineData("/who")]
    public void Other_lines_go_to_the_chat_actor(string line) => Assert.Null(LineModeHistory.Answer(line));
}
