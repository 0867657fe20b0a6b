using System.Text.Json;
using Entice.Client;
using Entice.Client.History;

namespace Entice.ClientNode.Ui.JsonRpc;

/// <summary>
/// Every chat event as a notification: the method is the event's name in <c>--json</c> mode, params its
/// fields plus "time" (when this client saw it). A received message carries the id the session gave it
/// (<paramref name="receivedId"/> of <see cref="For"/>: the same id its kept history has); a sent one has
/// the chat actor's id ("m1", ...), the one <c>send</c> returned, and, when the session knows what was
/// sent (<paramref name="sending"/>), its text and conversation, so every connection can show it.
/// </summary>
internal sealed class JsonRpcNotifications
{
    public string? For(ChatEvent e, DateTimeOffset now, string? receivedId = null, JsonRpcSending.Sent? sending = null, string? self = null)
    {
        var time = now.ToUniversalTime().ToString("O");
        (string Method, Action<Utf8JsonWriter> Params)? n = e switch
        {
            ReadyEvent r => ("ready", w => { w.WriteString("name", r.Name); w.WriteString("room", r.Room); w.WriteString("fingerprint", r.Fingerprint); }),
            RoomEnteredEvent r => ("room_joined", w => w.WriteString("room", r.Room)),
            RoomExitedEvent r => ("room_left", w => w.WriteString("room", r.Room)),
            MemberJoinedEvent j => ("joined", w => { w.WriteString("room", j.Room); w.WriteString("name", j.Name); }),
            MemberLeftEvent l => ("left", w => { w.WriteString("room", l.Room); w.WriteString("name", l.Name); }),
            MemberAwayEvent a => ("away", w => { w.WriteString("room", a.Room); w.WriteString("name", a.Name); }),
            MessageEvent m => ("message", w =>
            {
                w.WriteString("id", receivedId ?? JsonRpcSending.NewReceivedId());
                w.WriteString("room", m.Room);
                w.WriteString("from", m.From);
                w.WriteString("text", m.Text);
                w.WriteBoolean("direct", m.Direct);
                w.WriteString("conversation", JsonRpcState.ConversationOf(m));
                w.WriteString("sent_at", m.SentAt.ToUniversalTime().ToString("O"));
            }),
            SentEvent s => ("sent", w =>
            {
                w.WriteString("id", s.Id);
                w.WriteString("room", s.Room);
                w.WriteString("to", s.To);
                w.WriteNumber("recipients", s.Recipients);
                if (sending is { } what)
                {
                    w.WriteString("conversation", s.To is null ? KeptMessage.Room(s.Room) : KeptMessage.DirectWith(s.To));
                    w.WriteString("from", self);
                    w.WriteString("text", what.Text);
                    w.WriteString("sent_at", what.At.ToUniversalTime().ToString("O"));
                }
            }),
            DeliveredEvent d => ("delivered", w => { w.WriteString("id", d.Id); w.WriteString("to", d.To); }),
            MembersEvent m => ("members", w =>
            {
                w.WriteString("room", m.Room);
                w.WriteStartArray("members");
                foreach (var name in m.Members)
                    w.WriteStringValue(name);
                w.WriteEndArray();
            }),
            SafetyNumberEvent s => ("safety_number", w => { w.WriteString("peer", s.Peer); w.WriteString("safety_number", s.SafetyNumber); }),
            KeyChangedEvent k => ("key_changed", w => w.WriteString("peer", k.Peer)),
            TrustedEvent t => ("trusted", w => w.WriteString("peer", t.Peer)),
            VerifiedEvent v => ("verified", w => w.WriteString("peer", v.Peer)),
            ErrorEvent err => ("error", w =>
            {
                w.WriteString("code", err.Code);
                w.WriteNumber("rpc_code", JsonRpcErrors.For(err.Code));
                w.WriteString("message", err.Message);
            }),
            DisconnectedEvent d => ("disconnected", w => { w.WriteString("reason", d.Reason); w.WriteNumber("retry_in_ms", (long)d.RetryIn.TotalMilliseconds); }),
            GapEvent g => ("gap", w => { w.WriteString("from", g.From); w.WriteNumber("missing", g.Missing); w.WriteBoolean("late", g.Late); }),
            ReconnectedEvent r => ("reconnected", w => w.WriteString("server", r.Server)),
            StoppedEvent s => ("stopped", w => { w.WriteNumber("exit_code", s.ExitCode); w.WriteString("reason", s.Reason); }),
            _ => null,
        };
        if (n is not var (method, write))
            return null;
        return JsonRpcLines.Notification(method, w =>
        {
            write(w);
            w.WriteString("time", time);
        });
    }
}
