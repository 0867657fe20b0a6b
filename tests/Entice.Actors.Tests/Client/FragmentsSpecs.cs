using System.Text;
using Entice.Client;
using Entice.Client.Messages;

namespace Entice.Tests.Client;

public sealed class FragmentsSpecs
{
    [Fact]
    public void A_long_text_splits_at_character_boundaries_and_joins_back_exactly()
    {
        // Multi-byte characters and surrogate pairs straddle every possible cut.
        var text = string.Concat(Enumerable.Repeat("a€😀ж", 5000));
        var parts = Fragments.Split(text, 0xfeedUL, chunkBytes: 1000);

        var parsed = parts.Select(p => Assert.IsType<Fragments.Part>(Parse(p))).ToList();
        Assert.All(parsed, p => Assert.True(Encoding.UTF8.GetByteCount(p.Chunk) <= 1000));
        Assert.Equal(Enumerable.Range(0, parts.Count), parsed.Select(p => p.Index));
        Assert.All(parsed, p => Assert.Equal((0xfeedUL, parts.Count), (p.MessageId, p.Count)));
        Assert.Equal(text, string.Concat(parsed.Select(p => p.Chunk)));
    }

    [Fact]
    public void A_short_text_goes_as_it_is_unless_it_starts_like_a_fragment()
    {
        Assert.False(Fragments.Needed("hello", 100));
        Assert.True(Fragments.Needed(new string('x', 101), 100));
        Assert.True(Fragments.Needed("\u0001F1 looks like a header", 100));
        var single = Assert.Single(Fragments.Split("\u0001F1 x", 1, 100));
        Assert.Equal("\u0001F1 x", Parse(single)!.Chunk);
        Assert.False(Fragments.TryParse("hello", out _, out var malformed));
        Assert.False(malformed);
    }

    [Theory]
    [InlineData("\u0001F1 00000000000000ff 0 99999\nx")]      // count beyond the cap
    [InlineData("\u0001F1 00000000000000ff 5 5\nx")]          // index not below count
    [InlineData("\u0001F1 00000000000000ff 0 0\nx")]          // no fragments at all
    [InlineData("\u0001F1 zz000000000000ff 0 2\nx")]          // id not hex
    [InlineData("\u0001F1 00000000000000ff -1 2\nx")]         // negative index
    [InlineData("\u0001F1 00000000000000ff 0 2")]             // no end of header
    [InlineData("\u0001F2 00000000000000ff 0 2\nx")]          // unknown version
    [InlineData("\u0001F1 00000000000000ff 0 +2\nx")]         // signs are not digits
    public void A_header_that_does_not_parse_is_malformed_never_guessed(string text)
    {
        Assert.False(Fragments.TryParse(text, out var part, out var malformed));
        Assert.Null(part);
        Assert.True(malformed);
    }

    private static Fragments.Part? Parse(string text)
    {
        Assert.True(Fragments.TryParse(text, out var part, out var malformed));
        Assert.False(malformed);
        return part;
    }
}

public sealed class ReassemblySpecs
{
    [Fact]
    public void Fragments_in_order_make_one_message()
    {
        var r = new Reassembly(maxMessageBytes: 100);
        Assert.IsType<Reassembly.Waiting>(r.Add("bob", "lobby", false, new(1, 0, 3, "ab"), 0));
        Assert.IsType<Reassembly.Waiting>(r.Add("bob", "lobby", false, new(1, 1, 3, "cd"), 0));
        Assert.Equal("abcdef", Assert.IsType<Reassembly.Complete>(r.Add("bob", "lobby", false, new(1, 2, 3, "ef"), 0)).Text);
        Assert.Equal(0, r.InProgress);
    }

    [Fact]
    public void A_fragment_that_does_not_continue_the_message_drops_it()
    {
        var r = new Reassembly(maxMessageBytes: 100);
        r.Add("bob", "lobby", false, new(1, 0, 3, "ab"), 0);
        Assert.IsType<Reassembly.Dropped>(r.Add("bob", "lobby", false, new(1, 2, 3, "ef"), 0));   // skipped one
        Assert.IsType<Reassembly.Dropped>(r.Add("bob", "lobby", false, new(1, 1, 3, "cd"), 0));   // nothing to continue
        r.Add("bob", "lobby", false, new(2, 0, 2, "ab"), 0);
        Assert.IsType<Reassembly.Dropped>(r.Add("bob", "other", false, new(2, 1, 2, "cd"), 0));   // another room
        r.Add("bob", "lobby", false, new(3, 0, 2, "ab"), 0);
        Assert.IsType<Reassembly.Dropped>(r.Add("bob", "lobby", false, new(3, 1, 9, "cd"), 0));   // another count
        Assert.Equal(0, r.InProgress);
    }

    [Fact]
    public void Memory_is_bounded_per_message_per_sender_and_in_time()
    {
        var r = new Reassembly(maxMessageBytes: 10, maxPartial: 2);
        r.Add("bob", "lobby", false, new(1, 0, 3, "123456"), 0);
        Assert.IsType<Reassembly.Dropped>(r.Add("bob", "lobby", false, new(1, 1, 3, "789012"), 0)); // over 10 bytes
        r.Add("a", "lobby", false, new(1, 0, 2, "x"), 1);
        r.Add("b", "lobby", false, new(1, 0, 2, "x"), 2);
        r.Add("c", "lobby", false, new(1, 0, 2, "x"), 3); // the one idle longest ("a") makes room
        Assert.Equal(2, r.InProgress);
        Assert.IsType<Reassembly.Dropped>(r.Add("a", "lobby", false, new(1, 1, 2, "y"), 4));
        Assert.Equal(["b", "c"], r.DropIdle(timeoutTicks: 1, nowTicks: 100).Order());
        Assert.Equal(0, r.InProgress);
    }
}
