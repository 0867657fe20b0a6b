using System.Text.Json;
using Entice.Client;

namespace Entice.ClientNode.Ui.Views;

/// <summary>
/// <c>--json</c>: one JSON object per line on stdout, each with an "event" field, for scripts and tests.
/// Field names are a contract (see the README); add fields, never rename them.
/// </summary>
public sealed class JsonChatView(TextWriter output) : IChatView
{
    private string? _me;

    private static readonly JsonSerializerOptions Options = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public void Show(ChatEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (e is ReadyEvent ready)
            _me = ready.Name;
        object? payload = e switch
        {
            ReadyEvent r => new { @event = "ready", name = r.Name, room = r.Room, fingerprint = r.Fingerprint },
            RoomEnteredEvent r => new { @event = "room_joined", room = r.Room },
            RoomExitedEvent r => new { @event = "room_left", room = r.Room },
            MemberJoinedEvent j => new { @event = "joined", room = j.Room, name = j.Name },
            MemberLeftEvent l => new { @event = "left", room = l.Room, name = l.Name },
            MemberAwayEvent a => new { @event = "away", room = a.Room, name = a.Name },
            MessageEvent m when RoomTopic.Of(m) is { } topic => new { @event = "topic", room = m.Room, from = m.From, topic, sent_at = m.SentAt.ToString("O") },
            MessageEvent m => new { @event = "message", room = m.Room, from = m.From, text = m.Text, direct = m.Direct, sent_at = m.SentAt.ToString("O"), mention = Mentioned(m) },
            SentEvent m => new { @event = "sent", id = m.Id, room = m.Room, to = m.To, recipients = m.Recipients },
            DeliveredEvent d => new { @event = "delivered", id = d.Id, to = d.To },
            MembersEvent m => new { @event = "members", room = m.Room, members = m.Members },
            SafetyNumberEvent s => new { @event = "safety_number", peer = s.Peer, safety_number = s.SafetyNumber },
            KeyChangedEvent k => new { @event = "key_changed", peer = k.Peer },
            TrustedEvent t => new { @event = "trusted", peer = t.Peer },
            VerifiedEvent v => new { @event = "verified", peer = v.Peer },
            ErrorEvent err => new { @event = "error", code = err.Code, message = err.Message },
            DisconnectedEvent d => new { @event = "disconnected", reason = d.Reason, retry_in_ms = (long)d.RetryIn.TotalMilliseconds },
            GapEvent g => new { @event = "gap", from = g.From, missing = g.Missing, late = g.Late },
            ReconnectedEvent r => new { @event = "reconnected", server = r.Server },
            StoppedEvent s => new { @event = "stopped", exit_code = s.ExitCode, reason = s.Reason },
            _ => null,
        };
        if (payload is null)
            return;
        output.WriteLine(JsonSerializer.Serialize(payload, Options));
        output.Flush();
    }

    // Someone else's message with your name in it as a whole word (what the terminal UI highlights).
    private bool Mentioned(MessageEvent m) => _me is { } me && m.From != me && Mentions.Contains(m.Text, me);
}
