using Entice.Wire;

namespace Entice.Tests.Wire;

public sealed class FrameEncoderSpecs
{
    [Fact]
    public void Frame_is_a_big_endian_length_then_the_payload()
    {
        var payload = new byte[0x0102];
        payload[0] = 0xAA;
        payload[^1] = 0xBB;

        var frame = FrameEncoder.Frame(payload);

        Assert.Equal([0x00, 0x00, 0x01, 0x02, 0xAA], frame[..5]);
        Assert.Equal(4 + 0x0102, frame.Length);
        Assert.Equal(0xBB, frame[^1]);
    }

    [Fact]
    public void Write_frame_fills_the_start_of_a_larger_buffer_and_reports_its_length()
    {
        var destination = Enumerable.Repeat((byte)0xEE, 10).ToArray();

        var written = FrameEncoder.WriteFrame([1, 2, 3], destination);

        Assert.Equal(7, written);
        Assert.Equal([0, 0, 0, 3, 1, 2, 3, 0xEE, 0xEE, 0xEE], destination);
    }

    [Fact]
    public void Write_frame_refuses_a_destination_that_is_too_small() =>
        Assert.Throws<ArgumentException>(() => FrameEncoder.WriteFrame([1, 2, 3], new byte[6]));

    [Fact]
    public void An_empty_payload_is_refused_because_every_peer_would_reject_it() =>
        Assert.Throws<ArgumentException>(() => FrameEncoder.Frame([]));
}
