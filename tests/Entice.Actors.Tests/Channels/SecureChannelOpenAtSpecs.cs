using Entice.Channels;

namespace Entice.Tests.Channels;

/// <summary>
/// A reader that parses frames out of one buffer (the load tool) opens records straight into it, after what
/// it has not parsed yet (<see cref="SecureChannel.TryOpen(ReadOnlySpan{byte}, ref byte[], int, out int, out ChannelError?)"/>),
/// and keeps a record split across reads in its own receive buffer, passing the channel only whole records
/// (<see cref="SecureChannel.WholeRecordsLength"/>): the frames come out byte-identical, what was in front of
/// them survives (also when the buffer grows), and a tampered record still breaks the channel.
/// </summary>
public sealed class SecureChannelOpenAtSpecs
{
    private static readonly ChannelSettings Settings = new() { MaxFrameSize = 200_000 };

    [Fact]
    public void Frames_are_appended_after_the_unparsed_bytes_which_survive_growth()
    {
        using var pair = new ChannelPair(Settings);
        Assert.True(pair.Run());
        var random = new Random(41);
        var frames = new[] { 1, 300, 0, 70_000, 5 }.Select(n => Bytes(random, n)).ToArray();
        var unparsed = Bytes(random, 37);
        var buffer = new byte[64];
        unparsed.CopyTo(buffer, 10);
        var end = 10 + unparsed.Length;
        foreach (var frame in frames)
        {
            Assert.True(pair.ServerChannel!.TryOpen(pair.ClientChannel!.Seal(frame), ref buffer, end, out var next, out var error), error?.ToString());
            Assert.Equal(end + frame.Length, next);
            end = next;
        }

        Assert.True(buffer.Length >= 70_000);
        Assert.Equal(unparsed, buffer.AsSpan(10, unparsed.Length).ToArray());
        Assert.Equal(frames.SelectMany(f => f).ToArray(), buffer.AsSpan(10 + unparsed.Length, end - 10 - unparsed.Length).ToArray());
    }

    [Fact]
    public void Opening_before_the_room_for_a_record_header_is_refused()
    {
        using var pair = new ChannelPair(Settings);
        Assert.True(pair.Run());
        var buffer = new byte[64];
        Assert.Throws<ArgumentOutOfRangeException>(() => pair.ServerChannel!.TryOpen(pair.ClientChannel!.Seal("x"u8), ref buffer, SecureChannel.OpenedStart - 1, out _, out _));
    }

    [Fact]
    public void Whole_records_are_counted_up_to_the_first_partial_one()
    {
        using var pair = new ChannelPair(Settings);
        Assert.True(pair.Run());
        var first = pair.ClientChannel!.Seal(new byte[10]);
        var second = pair.ClientChannel.Seal(new byte[3000]);
        byte[] wire = [.. first, .. second];
        Assert.Equal(0, SecureChannel.WholeRecordsLength([]));
        Assert.Equal(0, SecureChannel.WholeRecordsLength(wire.AsSpan(0, 1)));
        Assert.Equal(0, SecureChannel.WholeRecordsLength(wire.AsSpan(0, first.Length - 1)));
        Assert.Equal(first.Length, SecureChannel.WholeRecordsLength(wire.AsSpan(0, first.Length)));
        Assert.Equal(first.Length, SecureChannel.WholeRecordsLength(wire.AsSpan(0, first.Length + 1)));
        Assert.Equal(first.Length, SecureChannel.WholeRecordsLength(wire.AsSpan(0, wire.Length - 1)));
        Assert.Equal(wire.Length, SecureChannel.WholeRecordsLength(wire));
    }

    [Fact]
    public void A_reader_that_passes_only_whole_records_gets_every_frame_and_the_channel_keeps_no_partial_record()
    {
        using var pair = new ChannelPair(Settings);
        Assert.True(pair.Run());
        var random = new Random(43);
        var frames = Enumerable.Range(0, 40).Select(_ => Bytes(random, random.Next(0, 25_000))).ToArray();
        var wire = frames.SelectMany(f => pair.ClientChannel!.Seal(f)).ToArray();
        var raw = new List<byte>();
        var buffer = new byte[16];
        var end = SecureChannel.OpenedStart;
        for (var at = 0; at < wire.Length;)
        {
            var read = Math.Min(wire.Length - at, random.Next(1, 9000));
            raw.AddRange(wire.AsSpan(at, read).ToArray());
            at += read;
            var whole = SecureChannel.WholeRecordsLength(raw.ToArray());
            Assert.True(pair.ServerChannel!.TryOpen(raw.Take(whole).ToArray(), ref buffer, end, out end, out var error), error?.ToString());
            Assert.Equal(0, pair.ServerChannel.BufferedBytes);
            raw.RemoveRange(0, whole);
        }

        Assert.Empty(raw);
        Assert.Equal(frames.SelectMany(f => f).ToArray(), buffer.AsSpan(SecureChannel.OpenedStart, end - SecureChannel.OpenedStart).ToArray());
    }

    [Fact]
    public void A_flipped_byte_in_a_whole_record_opened_in_place_breaks_the_channel()
    {
        using var pair = new ChannelPair(Settings);
        Assert.True(pair.Run());
        var record = pair.ClientChannel!.Seal("send 10 coins"u8);
        record[^3] ^= 0x01;
        var buffer = new byte[64];
        Assert.False(pair.ServerChannel!.TryOpen(record, ref buffer, 20, out var end, out var error));
        Assert.Equal(ChannelFailure.AuthenticationFailed, error!.Kind);
        Assert.Equal(20, end);
        Assert.True(pair.ServerChannel.IsBroken);
    }

    private static byte[] Bytes(Random random, int n)
    {
        var b = new byte[n];
        random.NextBytes(b);
        return b;
    }
}
