using Entice.Wire;

namespace Entice.Tests.Wire;

/// <summary>
/// The relay decodes every frame and re-encodes every envelope; garbage there is GC pauses for everyone.
/// Budgets allow the one unavoidable array plus small change, so a per-byte or per-field copy shows up.
/// </summary>
public sealed class WireAllocationSpecs
{
    private const int Slack = 256;

    [Fact]
    public void Feeding_a_frame_one_byte_at_a_time_allocates_only_the_frame_itself()
    {
        var frame = FrameEncoder.Frame(new byte[4000]);
        var output = new List<byte[]>(4);
        FeedByteByByte(new FrameDecoder(8192), frame, output); // warm up the JIT
        output.Clear();

        var decoder = new FrameDecoder(8192);
        var before = GC.GetAllocatedBytesForCurrentThread();
        FeedByteByByte(decoder, frame, output);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Single(output);
        Assert.InRange(allocated, 4000, 4000 + Slack);
    }

    [Fact]
    public void Encoding_an_envelope_allocates_one_array_of_the_frame_size()
    {
        var envelope = new Envelope("#general", "alice", "bob", 42, true, new byte[10_000]);
        var frameSize = WireCodec.EncodeFrame(envelope).Length; // also warms up the JIT
        WireCodec.Encode(envelope);

        var before = GC.GetAllocatedBytesForCurrentThread();
        WireCodec.EncodeFrame(envelope);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.InRange(allocated, frameSize, frameSize + Slack);
    }

    [Fact]
    public void Decoding_an_envelope_allocates_little_beyond_the_ciphertext_copy()
    {
        var payload = WireCodec.Encode(new Envelope("#general", "alice", "bob", 42, true, new byte[10_000]));
        WireCodec.TryDecode(payload, out _, out _);

        var before = GC.GetAllocatedBytesForCurrentThread();
        WireCodec.TryDecode(payload, out _, out _);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // The ciphertext copy, three short strings and the record.
        Assert.InRange(allocated, 10_000, 10_000 + 2 * Slack);
    }

    private static void FeedByteByByte(FrameDecoder decoder, byte[] frame, List<byte[]> output)
    {
        for (var i = 0; i < frame.Length; i++)
        {
            decoder.Feed(frame.AsSpan(i, 1), output);
        }
    }
}
