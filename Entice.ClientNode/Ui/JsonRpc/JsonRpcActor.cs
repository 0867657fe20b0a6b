using System.Text.Json;
using System.Threading.Channels;
using Akka.Actor;
using Entice.Client;
using Entice.Client.History;
using Entice.ClientNode.Ui.Views;
using Entice.Wire;

namespace Entice.ClientNode.Ui.JsonRpc;

/// <summary>
/// One JSON-RPC session (see <see cref="JsonRpc"/>). One state: requests are checked and turned into
/// commands, remembered until the chat event that answers them (by tag, or by room or name), and
/// answered with an error when the chat actor does not answer within the limit.
/// </summary>
internal sealed class JsonRpcActor : ReceiveActor, IWithTimers
{
    private readonly JsonRpc.Limits _limits;
    private readonly ChannelWriter<string> _output;
    private readonly TaskCompletionSource<int> _exit;
    private readonly IActorRef? _commands;
    private readonly LineHistory? _history;
    private readonly JsonRpcNotifications _notifications = new();
    private readonly List<Pending> _pending = [];
    private readonly SortedSet<string> _rooms = new(StringComparer.Ordinal);
    private long _nextTag;
    private long _dropped;

    public JsonRpcActor(JsonRpc.Limits limits, ChannelWriter<string> output, TaskCompletionSource<int> exit, IActorRef? commands, LineHistory? history)
    {
        _history = history;
        _limits = limits;
        _output = output;
        _exit = exit;
        _commands = commands;
        Receive<JsonRpc.Line>(l => OnLine(l.Text));
        Receive<JsonRpc.LineTooLong>(_ => Write(JsonRpcLines.Error(new JsonRpcError(JsonRpcErrors.InvalidRequest,
            $"invalid request: the line is longer than {_limits.MaxLineChars} characters and was not read", null))));
        Receive<JsonRpc.EndOfInput>(_ => Commands.Tell(new ChatClient.EndOfInput()));
        Receive<NoAnswer>(n => Expire(n.Tag));
        Receive<ChatEvent>(OnEvent);
        Receive<Kept>(OnKept);
    }

    public ITimerScheduler Timers { get; set; } = null!;

    private IActorRef Commands => _commands ?? Context.Parent;

    private sealed record Pending(string Tag, string RawId, string Method, string? Key);

    private sealed record NoAnswer(string Tag);

    // A history query or forget done (off this actor), to answer the request with RawId.
    private sealed record Kept(string RawId, string Conversation, IReadOnlyList<KeptMessage>? Messages, string? Problem, bool Failed = false);

    // ---- requests ----

    private void OnLine(string line)
    {
        var (request, error) = JsonRpcRequest.Parse(line);
        if (error is not null)
        {
            Write(JsonRpcLines.Error(error));
            return;
        }
        var problem = Handle(request!);
        if (problem is not null && !request!.IsNotification)
            Write(JsonRpcLines.Error(problem with { RawId = request.RawId }));
    }

    // Carries out one request; an error to answer with, or null (answered already, or later).
    private JsonRpcError? Handle(JsonRpcRequest r)
    {
        const string NoId = "null";
        if (r.Params.ValueKind == JsonValueKind.Array)
            return Bad("params must be an object (by name)");
        switch (r.Method)
        {
            case "send":
            {
                var text = r.Text("text", out var p1);
                var room = Room(r, "room", out var p2);
                var to = Name(r, "to", out var p3);
                if ((p1 ?? p2 ?? p3) is { } problem)
                    return Bad(problem);
                if (string.IsNullOrEmpty(text))
                    return Bad("\"text\" is required and not empty");
                if (room is null && to is null)
                    return Bad("\"room\" or \"to\" is required");
                UserCommand what = to is null ? new UserCommand.Say(text) : new UserCommand.Direct(to, text);
                return Ask(r, what, room, key: null);
            }
            case "join" or "leave" or "members":
            {
                var room = Room(r, "room", out var problem);
                if (problem is not null || room is null)
                    return Bad(problem ?? "\"room\" is required");
                if (r.Method == "members" && !_rooms.Contains(room))
                    return Client(ErrorCodes.NotInRoom, $"you are not in room {room}");
                UserCommand what = r.Method switch
                {
                    "join" => new UserCommand.Join(room),
                    "leave" => new UserCommand.Leave(room),
                    _ => new UserCommand.Who(),
                };
                return Ask(r, what, room, key: room);
            }
            case "verify" or "trust" or "mark_verified":
            {
                var name = Name(r, "name", out var problem);
                if (problem is not null || name is null)
                    return Bad(problem ?? "\"name\" is required");
                UserCommand what = r.Method switch
                {
                    "verify" => new UserCommand.Verify(name),
                    "trust" => new UserCommand.Trust(name),
                    _ => new UserCommand.MarkVerified(name),
                };
                return Ask(r, what, room: null, key: name);
            }
            case "rooms":
                if (!r.IsNotification)
                    Write(JsonRpcLines.Result(r.RawId!, w =>
                    {
                        w.WriteStartObject();
                        w.WriteStartArray("rooms");
                        foreach (var room in _rooms)
                            w.WriteStringValue(room);
                        w.WriteEndArray();
                        w.WriteEndObject();
                    }));
                return null;
            case "history" or "forget":
                return KeptHistory(r);
            default:
                return new JsonRpcError(JsonRpcErrors.MethodNotFound, $"method not found: {Truncate(r.Method)}", NoId);
        }
    }

    // history (room or with, limit, before) and forget (room or with): read and deleted off this actor.
    private JsonRpcError? KeptHistory(JsonRpcRequest r)
    {
        if (_history is not { Keeps: true })
            return new JsonRpcError(JsonRpcErrors.NotKept, "history is not kept (entice.client.history.keep = 0, or it could not be opened)", null);
        var room = Room(r, "room", out var p1);
        var with = Name(r, "with", out var p2);
        var before = r.Text("before", out var p3);
        if ((p1 ?? p2 ?? p3) is { } problem)
            return Bad(problem);
        if ((room is null) == (with is null))
            return Bad("exactly one of \"room\" and \"with\" is required");
        var limit = 50;
        if (r.Params.ValueKind == JsonValueKind.Object && r.Params.TryGetProperty("limit", out var l))
        {
            if (l.ValueKind != JsonValueKind.Number || !l.TryGetInt32(out limit) || limit < 1 || limit > LineHistory.MaxSearchResults)
                return Bad($"\"limit\" is a whole number from 1 to {LineHistory.MaxSearchResults}");
        }
        var conversation = room is not null ? KeptMessage.Room(room) : KeptMessage.DirectWith(with!);
        var id = r.RawId;
        if (r.Method == "forget")
        {
            _history.ForgetAsync(conversation).PipeTo(Self,
                success: _ => new Kept(id ?? "", conversation, null, null),
                failure: e => new Kept(id ?? "", conversation, null, e.GetType().Name, Failed: true));
            return null;
        }
        if (id is null)
            return null; // a history notification asks for nothing
        _history.QueryAsync(conversation, limit, before).PipeTo(Self,
            success: q => new Kept(id, conversation, q.Messages, q.Problem),
            failure: e => new Kept(id, conversation, null, e.GetType().Name, Failed: true));
        return null;
    }

    private void OnKept(Kept k)
    {
        if (k.RawId.Length == 0)
            return;
        if (k.Failed || k.Problem is not null)
        {
            Write(JsonRpcLines.Error(k.Failed
                ? new JsonRpcError(JsonRpcErrors.NotKept, $"the kept history could not be read ({k.Problem})", k.RawId)
                : new JsonRpcError(JsonRpcErrors.InvalidParams, $"invalid params: {k.Problem}", k.RawId)));
            return;
        }
        Write(JsonRpcLines.Result(k.RawId, w =>
        {
            w.WriteStartObject();
            w.WriteString("conversation", k.Conversation);
            if (k.Messages is { } messages)
            {
                w.WriteStartArray("messages");
                foreach (var m in messages)
                {
                    w.WriteStartObject();
                    w.WriteString("id", m.Id);
                    w.WriteString("from", m.From);
                    w.WriteString("text", m.Text);
                    w.WriteBoolean("direct", m.Direct);
                    w.WriteBoolean("own", m.Own);
                    w.WriteString("delivery", m.Delivery.ToString().ToLowerInvariant());
                    w.WriteString("sent_at", m.At.ToUniversalTime().ToString("O"));
                    w.WriteEndObject();
                }
                w.WriteEndArray();
            }
            else
            {
                w.WriteBoolean("forgotten", true);
            }
            w.WriteEndObject();
        }));
    }

    private JsonRpcError? Ask(JsonRpcRequest r, UserCommand what, string? room, string? key)
    {
        var tag = $"rpc-{++_nextTag}";
        if (what is UserCommand.Say say)
            _history?.Sending(tag, say.Text);
        else if (what is UserCommand.Direct direct)
            _history?.Sending(tag, direct.Text);
        if (!r.IsNotification)
        {
            if (_pending.Count >= _limits.MaxPending)
                return new JsonRpcError(JsonRpcErrors.TooManyPending, $"too many requests waiting for an answer (at most {_limits.MaxPending}); wait for some", null);
            _pending.Add(new Pending(tag, r.RawId!, r.Method, key));
            Timers.StartSingleTimer(tag, new NoAnswer(tag), _limits.AnswerTimeout);
        }
        Commands.Tell(new ChatClient.Command(what, room, tag));
        return null;
    }

    private static string? Room(JsonRpcRequest r, string field, out string? problem) => Canonical(r, field, room: true, out problem);

    private static string? Name(JsonRpcRequest r, string field, out string? problem) => Canonical(r, field, room: false, out problem);

    private static string? Canonical(JsonRpcRequest r, string field, bool room, out string? problem)
    {
        var raw = r.Text(field, out problem);
        if (raw is null || problem is not null)
            return null;
        try
        {
            var canonical = Names.Canonical(raw);
            if (room ? Names.IsValidRoom(canonical) : Names.IsValidName(canonical))
                return canonical;
        }
        catch (ArgumentException)
        {
            // not text NFKC can normalise (a lone surrogate): invalid like any other bad name
        }
        problem = $"\"{field}\" is not a valid {(room ? "room" : "name")}";
        return null;
    }

    private static JsonRpcError Bad(string problem) => new(JsonRpcErrors.InvalidParams, $"invalid params: {problem}", null);

    private static JsonRpcError Client(string code, string message) => new(JsonRpcErrors.For(code), message, null, code);

    private static string Truncate(string s) => s.Length <= 64 ? s : s[..64] + "…";

    // ---- answers ----

    private void OnEvent(ChatEvent e)
    {
        _history?.Observe(e);
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
                });
                break;
            case SafetyNumberEvent s:
                Answer("verify", s.Peer, w => { w.WriteString("name", s.Peer); w.WriteString("safety_number", s.SafetyNumber); });
                break;
            case TrustedEvent t:
                Answer("trust", t.Peer, w => w.WriteString("name", t.Peer));
                break;
            case VerifiedEvent v:
                Answer("mark_verified", v.Peer, w => w.WriteString("name", v.Peer));
                break;
            case SentEvent s when Take(p => p.Tag == s.Tag) is { } sent:
                Respond(sent, w =>
                {
                    w.WriteString("id", s.Id);
                    w.WriteString("room", s.Room);
                    w.WriteString("to", s.To);
                    w.WriteNumber("recipients", s.Recipients);
                });
                break;
            // A command's error answers it (the error is not also a notification).
            case ErrorEvent err when err.Tag is not null && Take(p => p.Tag == err.Tag) is { } failed:
                Write(JsonRpcLines.Error(new JsonRpcError(JsonRpcErrors.For(err.Code), err.Message, failed.RawId, err.Code)));
                return;
            // The server refuses a join without saying which: it answers the oldest join waiting.
            case ErrorEvent err when err.Code is ErrorCodes.RoomFull or ErrorCodes.TooManyRooms or ErrorCodes.InvalidRoom
                                     && Take(p => p.Method == "join") is { } join:
                Write(JsonRpcLines.Error(new JsonRpcError(JsonRpcErrors.For(err.Code), err.Message, join.RawId, err.Code)));
                return;
        }
        // Stopping: what still waits is answered first; "stopped" is the last line.
        if (e is StoppedEvent)
        {
            foreach (var p in _pending.ToList())
                Expire(p.Tag, "the client stopped before answering");
        }
        if (_notifications.For(e, DateTimeOffset.UtcNow) is { } line)
            Write(line);
        if (e is StoppedEvent stopped)
        {
            _output.TryComplete();
            _exit.TrySetResult(stopped.ExitCode);
        }
    }

    private void Answer(string method, string key, Action<Utf8JsonWriter> result)
    {
        if (Take(p => p.Method == method && p.Key == key) is { } pending)
            Respond(pending, result);
    }

    private void Respond(Pending pending, Action<Utf8JsonWriter> result) =>
        Write(JsonRpcLines.Result(pending.RawId, w =>
        {
            w.WriteStartObject();
            result(w);
            w.WriteEndObject();
        }));

    // The oldest pending request that matches, removed; null when none does.
    private Pending? Take(Func<Pending, bool> match)
    {
        var i = _pending.FindIndex(p => match(p));
        if (i < 0)
            return null;
        var pending = _pending[i];
        _pending.RemoveAt(i);
        Timers.Cancel(pending.Tag);
        return pending;
    }

    private void Expire(string tag, string? why = null)
    {
        if (Take(p => p.Tag == tag) is not { } pending)
            return;
        Write(JsonRpcLines.Error(new JsonRpcError(JsonRpcErrors.NoAnswer,
            why ?? $"no answer within {_limits.AnswerTimeout.TotalSeconds:0} s; the notifications say what happened", pending.RawId)));
    }

    // A transport whose reader falls behind (its channel is full) loses lines rather than memory: they
    // are counted, and a "dropped" notification says how many once there is room again.
    private void Write(string line)
    {
        if (_dropped > 0)
        {
            var dropped = JsonRpcLines.Notification("dropped", w => w.WriteNumber("lines", _dropped));
            if (!_output.TryWrite(dropped))
            {
                _dropped++;
                return;
            }
            _dropped = 0;
        }
        if (!_output.TryWrite(line))
            _dropped++;
    }
}
