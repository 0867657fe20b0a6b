using Entice.Wire;

namespace Entice.Tests.Wire;

public sealed class NamesSpecs
{
    [Theory]
    [InlineData("alice")]
    [InlineData("bob_2")]
    [InlineData("a")]
    [InlineData("first.last-name")]
    [InlineData("zoë")]
    [InlineData("дмитрий")]
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
    [InlineData("Bob_2")] // not canonical: "bob_2"
    [InlineData("ALICE")] // not canonical: "alice"
    [InlineData("\uFF41\uFF4C\uFF49\uFF43\uFF45")] // fullwidth ａｌｉｃｅ: NFKC makes it "alice"
    [InlineData("alice\u3164")] // Hangul filler: a letter, but invisible
    [InlineData("\u0430lice")] // Cyrillic а among Latin letters: two scripts
    [InlineData("alice\u0435")] // Latin then Cyrillic е
    [InlineData("\uD800")] // lone surrogate
    public void Bad_user_names_are_refused(string name) => Assert.False(Names.IsValidName(name));

    [Theory]
    [InlineData("\u0430lice", "names must be written in one script; this one mixes Cyrillic and Latin")]
    [InlineData("ALICE", "names must be in canonical form (NFKC, lower case): use \"alice\"")]
    [InlineData("\uFF41\uFF4C\uFF49\uFF43\uFF45", "names must be in canonical form (NFKC, lower case): use \"alice\"")]
    [InlineData("alice\u3164", "U+3164 is an invisible character; names cannot contain it")]
    public void A_refused_name_says_why(string name, string why) => Assert.Equal(why, NameProfile.Problem(name));

    [Theory]
    [InlineData("ALICE", "alice")]
    [InlineData("\uFF41\uFF4C\uFF49\uFF43\uFF45", "alice")]
    [InlineData("Zo\u00CB", "zo\u00EB")]
    [InlineData("ДМИТРИЙ", "дмитрий")]
    public void Canonical_form_is_what_a_client_sends(string typed, string canonical) => Assert.Equal(canonical, Names.Canonical(typed));

    [Theory]
    [InlineData("ace", "\u0430\u0441\u0435")] // all Cyrillic, one script, still looks like "ace"
    [InlineData("pay", "\u0440\u0430\u0443")]
    [InlineData("alice", "\u0430lice")]
    [InlineData("modem", "rnodern")]
    [InlineData("bill", "bi11")]
    public void Names_that_look_alike_share_a_skeleton(string a, string b) => Assert.Equal(NameProfile.Skeleton(a), NameProfile.Skeleton(b));

    [Theory]
    [InlineData("alice", "alicia")]
    [InlineData("bob", "rob")]
    public void Names_that_differ_have_different_skeletons(string a, string b) => Assert.NotEqual(NameProfile.Skeleton(a), NameProfile.Skeleton(b));

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
    [InlineData("#東京の部屋")] // Han with Hiragana: one writing system
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
    [InlineData("l\u043Ebby")] // Cyrillic о in "lobby"
    [InlineData("Lobby")] // not canonical
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
