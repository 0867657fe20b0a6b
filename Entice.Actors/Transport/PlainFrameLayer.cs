namespace Entice.Transport;

/// <summary>Frames straight over TCP: the bytes pass unchanged (entice.server.channel.enabled = off, for measuring only).</summary>
public sealed class PlainFrameLayer : IFrameLayer
{
    public static readonly PlainFrameLayer Instance = new();

    public bool IsReady => true;

    public int BufferedBytes => 0;

    public bool TryOpen(ReadOnlySpan<byte> received, out ReadOnlySpan<byte> frames, out string problem)
    {
        frames = received;
        problem = "";
        return true;
    }

    public byte[] Seal(byte[] batch) => batch;

    public byte[]? TakeOutbound() => null;
}
