using System.Text.Json;
using Entice.Client;
using Entice.Wire;

namespace Entice.ClientNode.Ui.JsonRpc;

// Chat events to answers: the request each one answers (by tag, or by method and room or name), the
// requests that time out, and the notification every event also makes.
internal sealed partial class JsonRpcActor
{
    private void OnEvent(ChatEvent e)
    {
        if (_stopped)
            return; // stopped by an interrupt (JsonRpcActor.Stop): the chat actor's own end comes after it
        if (e is StoppedEvent)
        {
            _stopped = true;
            Timers.Cancel(StopTimer);
        }
        // One id per received message: its notification's and its kept history entry's.
        var receivedId = e is MessageEvent ? JsonRpcSending.NewReceivedId() : null;
        if (e is ErrorEvent { Tag: { } refused })
            _sending.Take(refused);
        var sending = e is SentEvent { Tag: { } tag } ? _sending.Take(tag) : null;
        _history?.Observe(e, receivedId);
        var now = DateTimeOffset.UtcNow;
        _state.Observe(e, now);
        switch (e)
        {
            case ReadyEvent r:
                _rooms.Add(r.Room);
                break;
            case RoomEnteredEvent r:
                _rooms.Add(r.Room);
                Answer("join", r.Room, w => w.WriteString("room", r.Room));
                break;
            case RoomExitedEvent r:
                _rooms.Remove(r.Room);
                Answer("leave", r.Room, w => w.WriteString("room", r.Room));
                break;
            case MembersEvent m:
                Answer("members", m.Room, w =>
                {
                    w.WriteString("room", m.Room);
                    w.WriteStartArray("members");
                    foreach (var name in m.Members)
                        w.WriteStringValue(name);
                    w.WriteEndArray();
                    w.WriteStartArray("details");
                    foreach (var name in m.Members)
                    {
                        w.WriteStartObject();
                        w.WriteString("name", name);
                        w.WriteBoolean("you", name == _state.Name);
                        w.WriteBoolean("away", _state.IsAway(m.Room, name));
                        w.WriteString("key", _state.KeyState(name));
                        w.WriteEndObject();
                    }
                    w.WriteEndArray();
                });
                break;
            case SafetyNumberEvent s:
                Answer("verify", s.Peer, w =>
                {
                    w.WriteString("name", s.Peer);
                    w.WriteString("safety_number", s.SafetyNumber);
                    w.WriteString("qr_svg", SafetyQr.Svg(s.SafetyNumber));
                });
                break;
            case TrustedEvent t:
                Answer("trust", t.Peer, w => w.WriteString("name", t.Peer));
                break;
            case VerifiedEvent v:
                Answer("mark_verified", v.Peer, w => w.WriteString("name", v.Peer));
                break;
            case SentEvent s when _pending.Take(p => p.Tag == s.Tag) is { } sent:
                Respond(sent, w =>
                {
                    w.WriteString("id", s.Id);
                    w.WriteString("room", s.Room);
                    w.WriteString("to", s.To);
                    w.WriteNumber("recipients", s.Recipients);
                });
                break;
            // A command's error answers it (the error is not also a notification).
            case ErrorEvent err when err.Tag is not null && _pending.Take(p => p.Tag == err.Tag) is { } failed:
                Write(failed, JsonRpcLines.Error(new JsonRpcError(JsonRpcErrors.For(err.Code), err.Message, failed.RawId, err.Code)));
                return;
            // The server refuses a join without saying which: it answers the oldest join waiting.
            case ErrorEvent err when err.Code is ErrorCodes.RoomFull or ErrorCodes.TooManyRooms or ErrorCodes.InvalidRoom
                                     && _pending.Take(p => p.Method == "join") is { } join:
                Write(join, JsonRpcLines.Error(new JsonRpcError(JsonRpcErrors.For(err.Code), err.Message, join.RawId, err.Code)));
                return;
        }
        // Stopping: what still waits is answered first; "stopped" is the last line.
        if (e is StoppedEvent)
        {
            foreach (var p in _pending.All)
                Expire(p.Tag, "the client stopped before answering");
        }
        if (_notifications.For(e, now, receivedId, sending, _state.Name) is { } line)
            _output.Notify(line);
        if (e is StoppedEvent stopped)
        {
            _output.Complete();
            _exit.TrySetResult(stopped.ExitCode);
        }
    }

    private void Answer(string method, string key, Action<Utf8JsonWriter> result)
    {
        if (_pending.Take(p => p.Method == method && p.Key == key) is { } pending)
            Respond(pending, result);
    }

    private void Respond(JsonRpcPending.Entry pending, Action<Utf8JsonWriter> result) =>
        Write(pending, JsonRpcLines.Result(pending.RawId, w =>
        {
            w.WriteStartObject();
            result(w);
            w.WriteEndObject();
        }));

    private void Expire(string tag, string? why = null)
    {
        if (_pending.Take(p => p.Tag == tag) is not { } pending)
            return;
        Write(pending, JsonRpcLines.Error(new JsonRpcError(JsonRpcErrors.NoAnswer,
            why ?? $"no answer within {_limits.AnswerTimeout.TotalSeconds:0} s; the notifications say what happened", pending.RawId)));
    }
}
