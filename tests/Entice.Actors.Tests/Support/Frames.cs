using Entice.Wire;

namespace Entice.Tests.Support;

internal static class Frames
{
    /// <summary>Decodes one whole frame (length prefix included), failing the test if it is not exactly one message.</summary>
    public static WireMessage Decode(byte[] frame)
    {
        var decoder = new FrameDecoder(1 << 20);
        var payloads = new List<byte[]>();
        Assert.Equal(FrameDecodeStatus.Ok, decoder.Feed(frame, payloads));
        var payload = Assert.Single(payloads);
        Assert.True(WireCodec.TryDecode(payload, out var message, out var error), error);
        return message;
    }

    public static T Decode<T>(byte[] frame) where T : WireMessage => Assert.IsType<T>(Decode(frame));

    /// <summary>Decodes every whole frame in <paramref name="bytes"/> (a room hands a burst to a transport as one Send).</summary>
    public static List<WireMessage> DecodeAll(byte[] bytes)
    {
        var decoder = new FrameDecoder(1 << 20);
        var payloads = new List<byte[]>();
        Assert.Equal(FrameDecodeStatus.Ok, decoder.Feed(bytes, payloads));
        Assert.Equal(0, decoder.BufferedBytes);
        var messages = new List<WireMessage>();
        foreach (var payload in payloads)
        {
            Assert.True(WireCodec.TryDecode(payload, out var message, out var error), error);
            messages.Add(message);
        }
        return messages;
    }
}
