namespace Entice.Transport;

/// <summary>Frames straight over TCP: the bytes pass unchanged (the layer until an encrypted channel is wired).</summary>
public sealed class PlainFrameLayer : IFrameLayer
{
    public static readonly PlainFrameLayer Instance = new();

    public int BufferedBytes => 0;

    public bool TryOpen(ReadOnlySpan<byte> received, out ReadOnlySpan<byte> frames, out string problem)
    {
        frames = received;
        problem = "";
        return true;
    }

    public byte[] Seal(byte[] frame) => frame;

    public byte[]? TakeOutbound() => null;
}
