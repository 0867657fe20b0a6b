using Entice.Wire;

namespace Entice.Tests.Wire;

public sealed class NamesSpecs
{
    [Theory]
    [InlineData("alice")]
    [InlineData("Bob_2")]
    [InlineData("a")]
    [InlineData("first.last-name")]
    [InlineData("Zoë")]
    [InlineData("Дмитрий")]
    [InlineData("李小龍")]
    [InlineData("abcdefghijklmnopqrstuvwxyz012345")] // exactly 32
    public void Good_user_names_are_accepted(string name) => Assert.True(Names.IsValidName(name));

    [Theory]
    [InlineData("")]
    [InlineData("abcdefghijklmnopqrstuvwxyz0123456")] // 33
    [InlineData("alice bob")]
    [InlineData(" alice")]
    [InlineData("alice\t")]
    [InlineData("alice\n")]
    [InlineData("al\u0000ice")]
    [InlineData("al\u0007ice")]
    [InlineData("\u202Eecila")] // right-to-left override: would render reversed
    [InlineData("ali\u200Bce")] // zero-width space: looks identical to "alice"
    [InlineData("alice\u00A0")] // no-break space
    [InlineData("e\u0301")] // combining acute accent
    [InlineData("#general")] // '#' is for rooms only
    [InlineData("alice@host")]
    [InlineData("a/b")]
    [InlineData("😀")]
    [InlineData("\uD800")] // lone surrogate
    public void Bad_user_names_are_refused(string name) => Assert.False(Names.IsValidName(name));

    [Fact]
    public void Null_is_not_a_name()
    {
        Assert.False(Names.IsValidName(null));
        Assert.False(Names.IsValidRoom(null));
    }

    [Theory]
    [InlineData("#general")]
    [InlineData("general")]
    [InlineData("team.backend-2")]
    [InlineData("#café")]
    [InlineData("#abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz0")] // exactly 64
    public void Good_room_names_are_accepted(string room) => Assert.True(Names.IsValidRoom(room));

    [Theory]
    [InlineData("")]
    [InlineData("#abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz01")] // 65
    [InlineData("#the room")]
    [InlineData("#room\u0000")]
    [InlineData("#\u202Emoor")]
    [InlineData("#room\r\n")]
    [InlineData("#room!")]
    public void Bad_room_names_are_refused(string room) => Assert.False(Names.IsValidRoom(room));

    [Fact]
    public void The_longest_valid_names_in_three_byte_characters_still_cross_the_wire()
    {
        // The codec's string limit must never reject a name that Names accepts.
        var name = new string('李', Names.MaxNameLength);
        var room = new string('李', Names.MaxRoomLength);
        Assert.True(Names.IsValidName(name));
        Assert.True(Names.IsValidRoom(room));

        Assert.True(WireCodec.TryDecode(WireCodec.Encode(new MemberLeft(room, name)), out var decoded, out _));
        Assert.Equal(new MemberLeft(room, name), decoded);
    }
}
