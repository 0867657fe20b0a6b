using System.Text;
using Entice.Wire;

namespace Entice.Tests.Wire;

public sealed class WireTextSpecs
{
    [Fact]
    public void An_error_quoting_a_long_name_still_fits_one_wire_string_and_encodes()
    {
        var longRoom = string.Concat(Enumerable.Repeat("中文", 100));
        var error = new ErrorMessage(ErrorCodes.NotInRoom, $"join room {longRoom} before sending to it");

        Assert.True(Encoding.UTF8.GetByteCount(error.Message) <= WireLimits.MaxStringBytes);
        Assert.EndsWith("…", error.Message, StringComparison.Ordinal);
        Assert.True(WireCodec.TryDecode(WireCodec.Encode(error), out var decoded, out _));
        Assert.Equal(error.Message, ((ErrorMessage)decoded).Message);
    }

    [Fact]
    public void Short_text_is_left_alone_and_emoji_are_never_split()
    {
        Assert.Equal("hello", WireText.Fit("hello"));
        var cut = WireText.Fit(string.Concat(Enumerable.Repeat("🙂", 100)), 20);
        Assert.Equal("🙂🙂🙂🙂…", cut);
    }
}
