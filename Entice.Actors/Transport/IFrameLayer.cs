namespace Entice.Transport;

/// <summary>
/// The seam between TCP bytes and frames on the server's client connections: inbound bytes pass through
/// <see cref="TryOpen"/> before the frame decoder, outbound frames through <see cref="Seal"/> before the
/// acknowledged writer. Today only <see cref="PlainFrameLayer"/> (bytes unchanged); an encrypted channel
/// (Channel/SecureChannel) fits here. Used from the connection actor's thread only.
/// </summary>
public interface IFrameLayer
{
    /// <summary>Bytes this layer holds for incomplete input (counted in the server-wide frame budget).</summary>
    int BufferedBytes { get; }

    /// <summary>TCP bytes in, frame bytes out (valid until the next call). False: the input is bad, close with <paramref name="problem"/>.</summary>
    bool TryOpen(ReadOnlySpan<byte> received, out ReadOnlySpan<byte> frames, out string problem);

    /// <summary>An encoded frame (length prefix included) as the bytes to write.</summary>
    byte[] Seal(byte[] frame);

    /// <summary>Bytes the layer itself must write after a read (a handshake's answer), or null. Written before any frame.</summary>
    byte[]? TakeOutbound();
}
