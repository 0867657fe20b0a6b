using Entice.Client;

namespace Entice.Tests.Client;

public sealed class UserCommandSpecs
{
    [Theory]
    [InlineData("hello there", "hello there")]
    [InlineData("  leading spaces kept", "  leading spaces kept")]
    [InlineData("//msg is literal", "/msg is literal")]
    public void Plain_lines_are_said_to_the_room(string line, string said) =>
        Assert.Equal(said, Assert.IsType<UserCommand.Say>(UserCommand.Parse(line)).Text);

    [Fact]
    public void Msg_takes_a_name_and_the_rest_of_the_line()
    {
        var dm = Assert.IsType<UserCommand.Direct>(UserCommand.Parse("/msg bob see you at 5, ok?"));
        Assert.Equal(("bob", "see you at 5, ok?"), (dm.To, dm.Text));
    }

    [Theory]
    [InlineData("/msg bob")]
    [InlineData("/verify")]
    [InlineData("/trust")]
    [InlineData("/frobnicate")]
    public void Incomplete_or_unknown_commands_explain_themselves_and_send_nothing(string line) =>
        Assert.NotEmpty(Assert.IsType<UserCommand.Invalid>(UserCommand.Parse(line)).Usage);

    [Fact]
    public void The_other_commands_parse()
    {
        Assert.IsType<UserCommand.Who>(UserCommand.Parse("/who"));
        Assert.Equal("bob", Assert.IsType<UserCommand.Verify>(UserCommand.Parse("/verify bob")).Peer);
        Assert.Equal("bob", Assert.IsType<UserCommand.Trust>(UserCommand.Parse("/trust bob")).Peer);
        Assert.Equal("bob", Assert.IsType<UserCommand.MarkVerified>(UserCommand.Parse("/verified bob")).Peer);
        Assert.IsType<UserCommand.Quit>(UserCommand.Parse("/quit"));
        Assert.Equal("games", Assert.IsType<UserCommand.Join>(UserCommand.Parse("/join games")).Room);
        Assert.Null(Assert.IsType<UserCommand.Leave>(UserCommand.Parse("/leave")).Room);
        Assert.Equal("games", Assert.IsType<UserCommand.Leave>(UserCommand.Parse("/leave games")).Room);
        Assert.IsType<UserCommand.Nothing>(UserCommand.Parse("   "));
    }

    [Fact]
    public void Printing_a_command_never_prints_what_the_user_typed()
    {
        Assert.DoesNotContain("secret", UserCommand.Parse("secret words").ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("secret", UserCommand.Parse("/msg bob secret words").ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Names_and_rooms_are_written_as_people_type_them_and_used_in_canonical_form()
    {
        Assert.Equal("bob", Assert.IsType<UserCommand.Direct>(UserCommand.Parse("/msg Bob hi")).To);
        Assert.Equal("bob", Assert.IsType<UserCommand.Verify>(UserCommand.Parse("/verify ＢＯＢ")).Peer);
        Assert.Equal("games", Assert.IsType<UserCommand.Join>(UserCommand.Parse("/join Games")).Room);
    }
}
