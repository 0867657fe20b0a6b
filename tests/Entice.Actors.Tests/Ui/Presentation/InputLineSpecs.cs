using Entice.ClientNode.Ui.Presentation;

namespace Entice.Tests.Ui.Presentation;

public sealed class InputLineSpecs
{
    private static InputLine Typed(string text, int cursorFromEnd = 0)
    {
        var line = new InputLine();
        line.Insert(text);
        for (var i = 0; i < cursorFromEnd; i++)
            line.Left();
        return line;
    }

    [Fact]
    public void Ctrl_A_moves_to_the_start_and_the_next_key_inserts_there()
    {
        // The report: Ctrl+A selected the whole line, so the next key replaced it.
        var line = Typed("world");
        line.Home();
        line.Insert("hello ");
        Assert.Equal("hello world", line.Text);
        line.End();
        line.Insert("!");
        Assert.Equal("hello world!", line.Text);
    }

    [Fact]
    public void Ctrl_U_deletes_to_the_start_and_Ctrl_Y_puts_it_back()
    {
        var line = Typed("hello world", cursorFromEnd: 5);
        line.KillToStart();
        Assert.Equal("world", line.Text);
        Assert.Equal(0, line.Cursor);
        line.End();
        line.Yank();
        Assert.Equal("worldhello ", line.Text);
    }

    [Fact]
    public void Ctrl_W_deletes_the_word_before_the_cursor_as_a_shell_does()
    {
        var line = Typed("send this please  ");
        line.KillWordBack();
        Assert.Equal("send this ", line.Text);
        line.KillWordBack();
        Assert.Equal("send ", line.Text);
        line.KillWordBack();
        line.KillWordBack();
        Assert.Equal("", line.Text);
    }

    [Fact]
    public void Ctrl_K_deletes_to_the_end()
    {
        var line = Typed("keep drop", cursorFromEnd: 4);
        line.KillToEnd();
        Assert.Equal("keep ", line.Text);
    }

    [Fact]
    public void The_cursor_moves_over_a_skin_toned_emoji_in_one_step()
    {
        var line = Typed("a👍🏽b");
        line.Left();
        line.Left();
        line.Backspace();
        Assert.Equal("👍🏽b", line.Text);
        Assert.Equal(3, Typed("a👍🏽b").Count);
    }

    [Fact]
    public void A_combining_mark_typed_alone_joins_the_character_before_it()
    {
        var line = Typed("e");
        line.Insert("\u0301");
        Assert.Equal(1, line.Count);
        line.Backspace();
        Assert.Equal("", line.Text);
    }

    [Fact]
    public void The_view_keeps_the_cursor_visible_and_fits_the_width()
    {
        var line = Typed(string.Concat(Enumerable.Repeat("lorem ipsum ", 10_000)) + "END");
        var (text, cursor) = line.View(30);
        Assert.EndsWith("END", text);
        Assert.Equal(text.Length, cursor);
        Assert.True(TextWidth.Columns(text) < 30);
        line.Home();
        (text, cursor) = line.View(30);
        Assert.StartsWith("lorem ipsum", text);
        Assert.Equal(0, cursor);
    }

    [Fact]
    public void A_line_feed_shows_as_a_return_mark()
    {
        Assert.Equal("one↵two", Typed("one\r\ntwo").View(20).Text);
    }

    [Fact]
    public void The_line_is_capped()
    {
        var line = new InputLine(maxLength: 10);
        line.Insert("0123456789abc");
        Assert.Equal("0123456789", line.Text);
        Assert.True(line.Truncated);
        line.Insert("x");
        Assert.Equal(10, line.Length);
    }

    [Fact]
    public void Pasted_escape_and_bidi_characters_show_visibly_in_the_input()
    {
        var (text, cursor) = Typed("a\u001b[2J\u202Eb").View(40);
        Assert.Equal("a␛[2J<U+202E>b", text);
        Assert.Equal(TextWidth.Columns(text), cursor);
    }
}
