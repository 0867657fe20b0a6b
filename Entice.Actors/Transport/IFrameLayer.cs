namespace Entice.Transport;

/// <summary>
/// The seam between TCP bytes and frames on a connection: inbound bytes pass through <see cref="TryOpen"/>
/// before the frame decoder, outbound write batches (many frames at once) through <see cref="Seal"/> in
/// the <see cref="AckedWriter"/>. <see cref="PlainFrameLayer"/> passes bytes unchanged;
/// <see cref="NoiseFrameLayer"/> is the encrypted channel. Used from the connection actor's thread only.
/// </summary>
public interface IFrameLayer
{
    /// <summary>True once frames may be written (the channel's handshake is done; at once for plaintext).</summary>
    bool IsReady { get; }

    /// <summary>Bytes this layer holds for incomplete input (counted in the server-wide frame budget).</summary>
    int BufferedBytes { get; }

    /// <summary>TCP bytes in, frame bytes out (valid until the next call). False: the input is bad, close with <paramref name="problem"/>.</summary>
    bool TryOpen(ReadOnlySpan<byte> received, out ReadOnlySpan<byte> frames, out string problem);

    /// <summary>Bytes to write as they will travel: sealed once <see cref="IsReady"/>, unchanged before (handshake bytes, a plaintext refusal).</summary>
    byte[] Seal(byte[] batch);

    /// <summary>
    /// Takes the next batch from <paramref name="queue"/> and seals it (<see cref="Seal"/> of
    /// <see cref="OutboundQueue.TakeBatch"/>); a layer may instead copy the frames straight to where they are sealed.
    /// </summary>
    byte[] SealNext(OutboundQueue queue) => Seal(queue.TakeBatch());

    /// <summary>Bytes the layer itself must write after a read (a handshake's answer), or null. Written before any frame.</summary>
    byte[]? TakeOutbound();
}
