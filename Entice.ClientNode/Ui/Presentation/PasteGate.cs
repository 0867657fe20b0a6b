namespace Entice.ClientNode.Ui.Presentation;

/// <summary>
/// Tells a paste from typing when the terminal sends pasted text as ordinary keys (no bracketed paste):
/// an Enter followed by another key within <c>window</c> is a line break inside a paste, not a send.
/// Enter therefore waits one window before it sends; keys that arrive together are one burst, and a
/// burst that held a line break is offered as one multi-line message (no line of it runs as a command).
/// Pure: the caller passes the time (a monotonic clock) and calls <see cref="Tick"/> now and then.
/// </summary>
public sealed class PasteGate(TimeSpan window)
{
    private readonly long _window = window.Ticks;
    private long? _enterAt;
    private long _lastKeyAt;
    private bool _burstHasNewline;

    public enum KeyVerdict
    {
        /// <summary>Handle the key as usual.</summary>
        Type,
        /// <summary>The Enter before this key was part of a paste: insert a line feed, then the key.</summary>
        NewlineThenType,
        /// <summary>The Enter before this key was typed: send the line (<see cref="Tick"/>'s answer), then handle the key.</summary>
        SendThenType,
        /// <summary>A burst with line breaks ended with this late key: ask about the paste, then handle the key.</summary>
        ConfirmThenType,
    }

    public enum Due
    {
        Nothing,
        /// <summary>A typed Enter: send the line.</summary>
        Send,
        /// <summary>A burst with line breaks is over: ask whether to send it as one message.</summary>
        ConfirmPaste,
    }

    /// <summary>Whether an Enter is waiting to learn if it was typed or pasted, or a burst with line breaks is open: <see cref="Tick"/> has work.</summary>
    public bool Pending => _enterAt is not null || _burstHasNewline;

    /// <summary>
    /// Enter arrived at <paramref name="now"/> (ticks). It waits (see <see cref="Tick"/>); the answer says
    /// what to do first about an Enter that was already waiting.
    /// </summary>
    public KeyVerdict Enter(long now)
    {
        var verdict = Key(now);
        _enterAt = now;
        return verdict;
    }

    /// <summary>Any other key that edits the input arrived at <paramref name="now"/>.</summary>
    public KeyVerdict Key(long now)
    {
        var quiet = now - _lastKeyAt > _window;
        _lastKeyAt = now;
        var enterWaiting = _enterAt is not null;
        _enterAt = null;
        if (enterWaiting && !quiet)
        {
            _burstHasNewline = true;
            return KeyVerdict.NewlineThenType;
        }
        if (quiet && _burstHasNewline)
        {
            _burstHasNewline = false;
            return KeyVerdict.ConfirmThenType;
        }
        return enterWaiting ? KeyVerdict.SendThenType : KeyVerdict.Type;
    }

    /// <summary>Whether a key at <paramref name="now"/> would belong to the burst of the keys before it (a paste, not typing).</summary>
    public bool InBurst(long now) => _lastKeyAt != 0 && now - _lastKeyAt <= _window;

    /// <summary>Called on a timer: what became due by <paramref name="now"/>.</summary>
    public Due Tick(long now)
    {
        if (now - _lastKeyAt <= _window)
            return Due.Nothing;
        var wasBurst = _burstHasNewline;
        var enter = _enterAt is not null;
        _enterAt = null;
        _burstHasNewline = false;
        if (wasBurst)
            return Due.ConfirmPaste;
        return enter ? Due.Send : Due.Nothing;
    }
}
