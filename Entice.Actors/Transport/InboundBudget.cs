namespace Entice.Transport;

/// <summary>
/// What one connection holds of its client's input and has not handled yet, counted against the
/// server-wide <see cref="FrameBudget"/>: the decoder's (and frame layer's) buffer for an incomplete
/// frame, and the reads that wait while the name is claimed, which also have a per-connection bound.
/// Used from the connection actor's thread only.
/// </summary>
internal sealed class InboundBudget(FrameBudget? shared, long maxHeldBytes)
{
    /// <summary>Reads that may wait while the name is being claimed (a client waits for Welcome; this is slack).</summary>
    public const int MaxHeldReads = 16;

    private long _buffered;
    private long _heldReserved;

    public enum HoldResult
    {
        Held,

        /// <summary>Past this connection's bound: the client floods before its welcome.</summary>
        TooMuch,

        /// <summary>The server-wide budget is used up.</summary>
        Exhausted,
    }

    /// <summary>The bytes a client may send between its hello and its welcome.</summary>
    public long MaxHeldBytes => maxHeldBytes;

    public int HeldReads { get; private set; }

    public long HeldBytes { get; private set; }

    /// <summary>Follows the bytes buffered for incomplete input; false when the server-wide budget cannot cover them.</summary>
    public bool Account(long buffered)
    {
        if (shared is null)
            return true;
        if (buffered <= _buffered)
        {
            shared.Release(_buffered - buffered);
            _buffered = buffered;
            return true;
        }
        if (!shared.TryReserve(buffered - _buffered))
            return false;
        _buffered = buffered;
        return true;
    }

    /// <summary>Counts input that waits for the welcome.</summary>
    public HoldResult Hold(int reads, long bytes)
    {
        HeldReads += reads;
        HeldBytes += bytes;
        if (HeldReads > MaxHeldReads || HeldBytes > maxHeldBytes)
            return HoldResult.TooMuch;
        if (shared is null)
            return HoldResult.Held;
        if (!shared.TryReserve(bytes))
            return HoldResult.Exhausted;
        _heldReserved += bytes;
        return HoldResult.Held;
    }

    /// <summary>What waited is being handled: it no longer counts.</summary>
    public void ReleaseHeld()
    {
        shared?.Release(_heldReserved);
        _heldReserved = 0;
    }

    /// <summary>The connection is gone: give everything back.</summary>
    public void ReleaseAll()
    {
        ReleaseHeld();
        shared?.Release(_buffered);
        _buffered = 0;
    }
}
