using Entice.ClientNode.Ui.Presentation;

namespace Entice.Tests.Ui.Presentation;

public sealed class WordWrapSpecs
{
    private static List<string> Rows(string text, int width, int indent = 0) =>
        WordWrap.Wrap([new Styled<int>(text, 0)], width, indent).Select(r => string.Concat(r.Select(s => s.Text))).ToList();

    [Fact]
    public void Words_move_to_the_next_row_whole()
    {
        // The report: "scrol/led" split across rows.
        Assert.Equal(["the pane scrolled", "down again"], Rows("the pane scrolled down again", 20));
    }

    [Fact]
    public void Continuation_rows_are_indented_and_the_break_space_is_dropped()
    {
        Assert.Equal(["12:00 bob: one two", "      three four"], Rows("12:00 bob: one two three four", 18, 6));
    }

    [Fact]
    public void A_word_longer_than_a_row_is_split_by_grapheme()
    {
        Assert.Equal(["abcde", "fghij", "k"], Rows("abcdefghijk", 5));
    }

    [Fact]
    public void A_line_feed_starts_an_indented_row()
    {
        Assert.Equal(["bob: first", "     second"], Rows("bob: first\nsecond", 40, 5));
    }

    [Fact]
    public void Widths_are_counted_per_grapheme_so_emoji_sequences_fit_where_they_are_shown()
    {
        // 👍🏽 and 👨‍👩‍👧 are one cluster of 2 columns each, not 4 and 6 (which would wrap too early).
        Assert.Equal(2, TextWidth.Columns("👍🏽"));
        Assert.Equal(2, TextWidth.Columns("👨‍👩‍👧"));
        Assert.Equal(2, TextWidth.Columns("🇩🇪"));
        Assert.Equal(1, TextWidth.Columns("e\u0301"));
        Assert.Equal(4, TextWidth.Columns("你好"));
        Assert.Equal(["ok 👍🏽 👨‍👩‍👧"], Rows("ok 👍🏽 👨‍👩‍👧", 8));
    }

    [Fact]
    public void No_row_is_wider_than_the_width_with_wide_characters()
    {
        var rows = Rows("你好世界你好世界 👍🏽👍🏽👍🏽 abc", 5, 1);
        Assert.All(rows, r => Assert.True(TextWidth.Columns(r) <= 5, r));
        Assert.Equal("你好世界你好世界👍🏽👍🏽👍🏽abc", string.Concat(rows).Replace(" ", ""));
    }

    [Fact]
    public void Styles_follow_their_text_across_rows()
    {
        var rows = WordWrap.Wrap([new Styled<char>("bob: ", 'n'), new Styled<char>("hello there friend", 't')], 12, 5);
        Assert.Equal([('n', "bob: "), ('t', "hello")], rows[0].Select(s => (s.Style, s.Text)));
        Assert.Equal([('t', "     there")], rows[1].Select(s => (s.Style, s.Text)));
    }

    [Fact]
    public void Truncate_and_pad_count_columns()
    {
        Assert.Equal("你…", TextWidth.Truncate("你好世界", 4));
        Assert.Equal("#你好  ", TextWidth.PadTo("#你好", 7));
        Assert.Equal(7, TextWidth.Columns(TextWidth.PadTo("#你好世界你好世界", 7)));
    }

    [Theory]
    [InlineData(120, 22, 72, 26)]
    [InlineData(90, 22, 42, 26)]
    [InlineData(70, 22, 48, 0)]
    [InlineData(50, 0, 50, 0)]
    [InlineData(40, 0, 40, 0)]
    public void Side_panes_collapse_so_the_messages_keep_their_room(int width, int conversations, int messages, int members)
    {
        Assert.Equal(new PaneLayout(conversations, messages, members), PaneLayout.For(width));
    }
}
