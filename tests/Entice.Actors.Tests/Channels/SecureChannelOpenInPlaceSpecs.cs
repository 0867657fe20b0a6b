using System.Buffers.Binary;
using Entice.Channels;

namespace Entice.Tests.Channels;

/// <summary>
/// <see cref="SecureChannel.TryOpen"/> decrypts each record so its content lands where the frame belongs
/// (the record header on the 3 bytes before it, saved and put back): the frames of a read come out
/// byte-identical and back to back wherever the reads split the records (tiny frames of 0..3 bytes whose
/// header overlaps more than the previous frame, several records per read, frames spanning records), and
/// the bytes in front of the frames are left as they were (no record header or plaintext is left there).
/// </summary>
public sealed class SecureChannelOpenInPlaceSpecs
{
    private const byte Scratch = 0xEE;
    private static readonly ChannelSettings Settings = new() { MaxFrameSize = 200_000 };

    [Fact]
    public void Small_frames_come_out_byte_identical_when_the_reads_split_at_every_byte()
    {
        var random = new Random(23);
        var sizes = new List<int> { 0, 1, 2, 3, 0, 4, 1, 5 };
        for (var i = 0; i < 10; i++)
            sizes.Add(random.Next(0, 300));
        var frames = Frames(sizes, random);
        var wireLength = SealOnNewPair(frames, out var first).Length;
        first.Dispose();
        for (var split = 0; split <= wireLength; split++)
            AssertOpensByteIdentical(frames, [split]);
    }

    [Fact]
    public void Frames_spanning_records_come_out_byte_identical_when_the_reads_split_near_every_record_boundary()
    {
        var random = new Random(29);
        int[] sizes = [2, 65_515, 1, 65_516, 65_517, 0, 131_040, 3, 150_000, 2500, 65_518, 7];
        var frames = Frames(sizes, random);
        var wire = SealOnNewPair(frames, out var pair);
        pair.Dispose();
        var boundaries = new List<int>();
        for (var at = 0; at < wire.Length; at += ChannelProtocol.LengthPrefix + BinaryPrimitives.ReadUInt16BigEndian(wire.AsSpan(at)))
            boundaries.Add(at);
        boundaries.Add(wire.Length);
        foreach (var boundary in boundaries)
        {
            for (var delta = -4; delta <= 4; delta++)
            {
                var split = boundary + delta;
                if (split >= 0 && split <= wire.Length)
                    AssertOpensByteIdentical(frames, [split, Math.Min(wire.Length, split + random.Next(1, 70_000))]);
            }
        }
    }

    // Seals the frames on a fresh pair, opens them in reads cut at the splits into one reused buffer
    // (small at first, so it grows; its scratch not zero; in a read that does not grow it, the bytes in front of
    // the frames must come back as they were), and checks what the reads return, back to back.
    private static void AssertOpensByteIdentical(List<byte[]> frames, int[] splits)
    {
        var wire = SealOnNewPair(frames, out var pair);
        using (pair)
        {
            var buffer = new byte[8];
            var opened = new List<byte>();
            var from = 0;
            foreach (var to in splits.Append(wire.Length))
            {
                buffer.AsSpan().Fill(Scratch);
                var given = buffer;
                Assert.True(pair.ServerChannel!.TryOpen(wire.AsSpan(from, to - from), ref buffer, out var start, out var length, out var error), error?.ToString());
                Assert.True(start + length <= buffer.Length);
                if (ReferenceEquals(given, buffer))
                    Assert.All(buffer.AsSpan(0, Math.Min(start, buffer.Length)).ToArray(), b => Assert.Equal(Scratch, b));
                opened.AddRange(buffer.AsSpan(start, length).ToArray());
                from = to;
            }

            Assert.Equal(frames.SelectMany(f => f).ToArray(), opened.ToArray());
            Assert.Equal(0, pair.ServerChannel!.BufferedBytes);
        }
    }

    private static byte[] SealOnNewPair(List<byte[]> frames, out ChannelPair pair)
    {
        pair = new ChannelPair(Settings);
        Assert.True(pair.Run());
        var wire = new List<byte>();
        foreach (var frame in frames)
            wire.AddRange(pair.ClientChannel!.Seal(frame));
        return wire.ToArray();
    }

    private static List<byte[]> Frames(IEnumerable<int> sizes, Random random) =>
        sizes.Select(size =>
        {
            var frame = new byte[size];
            random.NextBytes(frame);
            return frame;
        }).ToList();
}
