using System.Buffers.Binary;
using Entice.Wire;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Entice.Tests.Wire;

public sealed class FrameDecoderSpecs
{
    private const int MaxFrame = 1500;

    private static readonly Gen<byte[]> FramePayload =
        Gen.Choose(1, MaxFrame).SelectMany(length => Gen.ArrayOf(ArbMap.Default.GeneratorFor<byte>(), length));

    private static readonly Gen<byte[][]> FrameStream = Gen.Choose(0, 12).SelectMany(count => Gen.ArrayOf(FramePayload, count));

    // Up to a bit more than Akka.IO's 512-byte reads, so chunks straddle frame boundaries in every way.
    private static readonly Gen<int[]> ChunkSizes = Gen.Choose(1, 700).NonEmptyListOf().Select(sizes => sizes.ToArray());

    [Property(MaxTest = 200)]
    public Property Any_split_of_a_frame_stream_decodes_to_exactly_the_same_frames() =>
        Prop.ForAll(
            Gen.Zip(FrameStream, ChunkSizes).ToArbitrary(),
            input => DecodesExactly(input.Item1, input.Item2));

    [Property(MaxTest = 200)]
    public Property A_growing_decoder_decodes_any_split_exactly_and_holds_at_most_twice_what_arrived() =>
        Prop.ForAll(
            Gen.Zip(FrameStream, ChunkSizes).ToArbitrary(),
            input => DecodesExactly(input.Item1, input.Item2, growFrom: 16));

    [Fact]
    public void A_growing_decoder_holds_what_has_arrived_not_what_a_frame_announces()
    {
        var decoder = new FrameDecoder(64 * 1024, growFrom: 256);
        var output = new List<byte[]>();

        Assert.Equal(FrameDecodeStatus.Ok, decoder.Feed([.. LengthPrefix(64 * 1024), .. new byte[100]], output));

        Assert.Equal(256, decoder.BufferCapacity); // not 64 KiB
        decoder.Feed(new byte[64 * 1024 - 100], output);
        Assert.Equal(64 * 1024, Assert.Single(output).Length);
        Assert.Equal(0, decoder.BufferCapacity);
    }

    [Fact]
    public void Raising_the_limit_lets_larger_frames_through_from_then_on()
    {
        var decoder = new FrameDecoder(1024);
        var output = new List<byte[]>();
        decoder.Feed(FrameEncoder.Frame(new byte[1024]), output);

        decoder.MaxFrameSize = 4096;

        Assert.Equal(FrameDecodeStatus.Ok, decoder.Feed(FrameEncoder.Frame(new byte[4096]), output));
        Assert.Equal([1024, 4096], output.Select(f => f.Length));
    }

    [Property(MaxTest = 30)]
    public Property One_byte_chunks_decode_to_exactly_the_same_frames() =>
        Prop.ForAll(FrameStream.ToArbitrary(), frames => DecodesExactly(frames, [1]));

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(512)]
    [InlineData(100_000)]
    public void Back_to_back_frames_of_every_small_size_survive_fixed_chunking(int chunkSize)
    {
        var frames = Enumerable.Range(1, 40).Select(n => Enumerable.Range(0, n).Select(i => (byte)(n + i)).ToArray()).ToArray();

        Assert.True(DecodesExactly(frames, [chunkSize]));
    }

    [Fact]
    public void Frame_of_exactly_the_maximum_size_is_accepted()
    {
        var payload = new byte[MaxFrame];
        payload[^1] = 0x42;
        var decoder = new FrameDecoder(MaxFrame);
        var output = new List<byte[]>();

        Assert.Equal(FrameDecodeStatus.Ok, decoder.Feed(FrameEncoder.Frame(payload), output));
        Assert.Equal(payload, Assert.Single(output));
    }

    [Fact]
    public void Zero_length_frame_is_rejected()
    {
        var decoder = new FrameDecoder(MaxFrame);
        var output = new List<byte[]>();

        Assert.Equal(FrameDecodeStatus.ZeroLength, decoder.Feed([0, 0, 0, 0], output));
        Assert.Empty(output);
    }

    [Theory]
    [InlineData(MaxFrame + 1u)]
    [InlineData(0x0001_0000u)]
    [InlineData(0x7FFF_FFFFu)]
    [InlineData(0x8000_0000u)] // "negative" as a signed int
    [InlineData(0xFFFF_FFFFu)] // -1 as a signed int
    public void Oversize_length_is_rejected_as_soon_as_the_four_length_bytes_arrive(uint announced)
    {
        var decoder = new FrameDecoder(MaxFrame);
        var output = new List<byte[]>();
        var prefix = LengthPrefix(announced);

        // Byte by byte: nothing is wrong until the last length byte, and no body byte is ever needed.
        Assert.Equal(FrameDecodeStatus.Ok, decoder.Feed(prefix.AsSpan(0, 3), output));
        Assert.Equal(FrameDecodeStatus.TooLarge, decoder.Feed(prefix.AsSpan(3, 1), output));
        Assert.Empty(output);
        Assert.True(decoder.BufferedBytes <= MaxFrame + 4);
    }

    [Theory]
    [InlineData(0x8000_0000u)]
    [InlineData(0xFFFF_FFFFu)]
    public void Length_with_the_high_bit_set_is_too_large_even_for_the_largest_allowed_maximum(uint announced)
    {
        var decoder = new FrameDecoder(int.MaxValue - 4);

        Assert.Equal(FrameDecodeStatus.TooLarge, decoder.Feed(LengthPrefix(announced), []));
    }

    [Fact]
    public void After_an_error_the_decoder_stays_failed_and_emits_nothing_more()
    {
        var decoder = new FrameDecoder(MaxFrame);
        var output = new List<byte[]>();
        var valid = FrameEncoder.Frame([1, 2, 3]);

        Assert.Equal(FrameDecodeStatus.TooLarge, decoder.Feed(LengthPrefix(MaxFrame + 1), output));
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(FrameDecodeStatus.TooLarge, decoder.Feed(valid, output));
            Assert.Equal(FrameDecodeStatus.TooLarge, decoder.Feed([], output));
        }

        Assert.Equal(FrameDecodeStatus.TooLarge, decoder.Status);
        Assert.Empty(output);
    }

    [Fact]
    public void A_zero_length_error_also_sticks()
    {
        var decoder = new FrameDecoder(MaxFrame);
        var output = new List<byte[]>();

        decoder.Feed([0, 0, 0, 0], output);

        Assert.Equal(FrameDecodeStatus.ZeroLength, decoder.Feed(FrameEncoder.Frame([9]), output));
        Assert.Empty(output);
    }

    [Fact]
    public void Frames_completed_before_an_error_in_the_same_chunk_are_still_delivered()
    {
        var decoder = new FrameDecoder(MaxFrame);
        var output = new List<byte[]>();
        byte[] chunk = [.. FrameEncoder.Frame([7, 7]), 0, 0, 0, 0, .. FrameEncoder.Frame([8])];

        Assert.Equal(FrameDecodeStatus.ZeroLength, decoder.Feed(chunk, output));
        Assert.Equal([7, 7], Assert.Single(output));
    }

    [Fact]
    public void Buffered_bytes_never_exceed_the_maximum_frame_plus_the_length_prefix()
    {
        const int max = 64;
        var decoder = new FrameDecoder(max);
        var output = new List<byte[]>();
        var stream = FrameEncoder.Frame(new byte[max]).Concat(FrameEncoder.Frame(new byte[max])).ToArray();
        var peak = 0;

        foreach (var b in stream)
        {
            Assert.Equal(FrameDecodeStatus.Ok, decoder.Feed([b], output));
            peak = Math.Max(peak, decoder.BufferedBytes);
        }

        Assert.Equal(max + 3, peak); // the last byte of a frame completes it and releases the buffer
        Assert.Equal(0, decoder.BufferedBytes);
        Assert.Equal(2, output.Count);
    }

    [Fact]
    public void Buffered_bytes_report_a_partial_frame()
    {
        var decoder = new FrameDecoder(MaxFrame);
        var frame = FrameEncoder.Frame([1, 2, 3, 4, 5]);

        decoder.Feed(frame.AsSpan(0, 6), []);

        Assert.Equal(6, decoder.BufferedBytes);
    }

    [Fact]
    public void Delivered_frames_are_not_overwritten_by_later_input()
    {
        var decoder = new FrameDecoder(MaxFrame);
        var output = new List<byte[]>();

        decoder.Feed(FrameEncoder.Frame([1, 1, 1]), output);
        var first = output[0];
        decoder.Feed(FrameEncoder.Frame([2, 2, 2]), output);

        Assert.Equal([1, 1, 1], first);
        Assert.Equal([2, 2, 2], output[1]);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(int.MaxValue)]
    public void Nonsensical_maximum_is_refused(int maxFrameSize) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new FrameDecoder(maxFrameSize));

    private static bool DecodesExactly(byte[][] frames, int[] chunkSizes, int growFrom = 0)
    {
        var stream = frames.SelectMany(frame => FrameEncoder.Frame(frame)).ToArray();
        var decoder = new FrameDecoder(MaxFrame, growFrom);
        var output = new List<byte[]>();
        var offset = 0;

        for (var i = 0; offset < stream.Length; i++)
        {
            var size = Math.Min(chunkSizes[i % chunkSizes.Length], stream.Length - offset);
            if (decoder.Feed(stream.AsSpan(offset, size), output) != FrameDecodeStatus.Ok
                || decoder.BufferedBytes > MaxFrame + 4
                || (growFrom > 0 && decoder.BufferCapacity > Math.Max(growFrom, 2 * decoder.BufferedBytes)))
            {
                return false;
            }

            offset += size;
        }

        return decoder.BufferedBytes == 0
               && output.Count == frames.Length
               && output.Zip(frames).All(pair => pair.First.AsSpan().SequenceEqual(pair.Second));
    }

    private static byte[] LengthPrefix(uint length)
    {
        var prefix = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(prefix, length);
        return prefix;
    }
}
