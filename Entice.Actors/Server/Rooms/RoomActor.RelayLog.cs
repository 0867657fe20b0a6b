using System.Globalization;
using System.Text;
using Akka.Event;
using Entice.Wire;

namespace Entice.Server.Rooms;

/// <summary>
/// The relay's line per room-wide envelope ("Relayed envelope N from S to room R (M members): B bytes
/// hex…", what an operator and the end-to-end checks read), written once per burst as one log event of
/// one line per envelope; with <c>relay-log-interval</c> above zero (the default), written at most once
/// per interval: the first line of a quiet period starts a single timer that writes every pending line,
/// so a room with light traffic (every burst one envelope) still writes one event per interval, not
/// one per envelope. A builder past <see cref="MaxPendingChars"/> is written at once; a stop or a
/// restart writes what is pending. A log event per envelope (boxed arguments, the event stream, the logger
/// actor, Serilog's rendering, a console write each) was a third of the relay's CPU with ten clients
/// all sending (issue 17, perf profile); now each line is a few appends into a reused builder.
/// Names and rooms are validated (no control characters), ids and sizes are numbers, the prefix is hex:
/// no line can forge another.
/// </summary>
internal sealed partial class RoomActor
{
    /// <summary>Pending relay lines are written at once past this many characters (about 270 lines).</summary>
    internal const int MaxPendingChars = 32 * 1024;

    private StringBuilder? _relayed;

    internal sealed class WriteRelayLog
    {
        public static readonly WriteRelayLog Instance = new();
        private WriteRelayLog() { }
    }

    private void NoteRelayed(Envelope envelope, int recipients)
    {
        if (!_log.IsInfoEnabled)
            return;
        var lines = _relayed ??= new StringBuilder(256);
        if (lines.Length > 0)
            lines.Append('\n');
        lines.Append(CultureInfo.InvariantCulture,
            $"Relayed envelope {envelope.Id} from {envelope.Sender} to room {_name} ({recipients} members): {envelope.Ciphertext.Length} B ");
        Span<char> hex = stackalloc char[2 * 64];
        var prefix = envelope.Ciphertext.AsSpan(0, Math.Min(Math.Min(_settings.LogHexPrefix, 64), envelope.Ciphertext.Length));
        if (Convert.TryToHexStringLower(prefix, hex, out var written))
            lines.Append(hex[..written]);
        lines.Append('…');
        if (_settings.RelayLogInterval <= TimeSpan.Zero)
            return; // written at the end of the burst (FlushFanout)
        if (lines.Length >= MaxPendingChars)
            WriteRelayed();
        else if (!Timers.IsTimerActive(nameof(WriteRelayLog)))
            Timers.StartSingleTimer(nameof(WriteRelayLog), WriteRelayLog.Instance, _settings.RelayLogInterval);
    }

    // The end of a burst: its lines are written now only when no interval batches them.
    private void WriteRelayedPerBurst()
    {
        if (_settings.RelayLogInterval <= TimeSpan.Zero)
            WriteRelayed();
    }

    private void WriteRelayed()
    {
        if (_relayed is not { Length: > 0 } lines)
            return;
        _log.Info("{RelayedEnvelopes:l}", lines.ToString());
        // A huge burst's builder is not kept for a quiet room.
        if (lines.Capacity > 64 * 1024)
            _relayed = null;
        else
            lines.Clear();
    }
}
