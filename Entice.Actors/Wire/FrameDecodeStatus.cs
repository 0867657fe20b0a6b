namespace Entice.Wire;

/// <summary>
/// Outcome of <see cref="FrameDecoder.Feed"/>. Anything other than <see cref="Ok"/> is a protocol violation:
/// the connection it came from must be aborted, because the stream can no longer be re-synchronised.
/// </summary>
public enum FrameDecodeStatus
{
    Ok = 0,

    /// <summary>A frame announced a length of 0; no message is empty, so this is never legitimate.</summary>
    ZeroLength = 1,

    /// <summary>A frame announced more than the configured maximum (including lengths with the high bit set).</summary>
    TooLarge = 2,
}
