using Entice.Display;

namespace Entice.Tests.Display;

public sealed class PeerTextSpecs
{
    [Theory]
    [InlineData("\u001b[2J\u001b[H", "␛[2J␛[H")] // clear screen, cursor home
    [InlineData("\u001b]0;pwned\u0007", "␛]0;pwned␇")] // set the window title
    [InlineData("hi\rbob: fake", "hi␍bob: fake")] // carriage return overwrites the line
    [InlineData("a\u009b2Jb", "a<U+009B>2Jb")] // C1 CSI
    [InlineData("\u202Eevil", "<U+202E>evil")] // right-to-left override
    [InlineData("x\u2066y\u2069", "x<U+2066>y<U+2069>")] // isolates
    [InlineData("\u200Bhidden", "<U+200B>hidden")] // zero-width space
    [InlineData("del\u007f", "del␡")]
    public void Controls_escapes_and_bidi_are_made_visible(string peer, string shown)
    {
        Assert.Equal(shown, PeerText.Visible(peer));
    }

    [Theory]
    [InlineData("hello")]
    [InlineData("héllo wörld ✓ 👍🏽 👨‍👩‍👧")]
    [InlineData("مرحبا")]
    public void Ordinary_text_is_unchanged(string text)
    {
        Assert.Same(text, PeerText.Visible(text));
    }

    [Fact]
    public void Newlines_are_kept_only_when_asked_and_carriage_returns_never()
    {
        Assert.Equal("a␊b", PeerText.Visible("a\nb"));
        Assert.Equal("a\nb␍", PeerText.Visible("a\nb\r", keepNewlines: true));
    }
}
