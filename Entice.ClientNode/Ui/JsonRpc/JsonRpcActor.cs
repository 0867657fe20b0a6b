using System.Text.Json;
using System.Threading.Channels;
using Akka.Actor;
using Entice.Client;
using Entice.ClientNode.Ui.Views;
using Entice.Wire;
using static Entice.ClientNode.Ui.JsonRpc.JsonRpcParams;

namespace Entice.ClientNode.Ui.JsonRpc;

/// <summary>
/// One JSON-RPC session (see <see cref="JsonRpc"/>). One state: requests are checked and turned into
/// commands, remembered until the chat event that answers them (by tag, or by room or name), and
/// answered with an error when the chat actor does not answer within the limit. Split by concept: this
/// file (requests to commands), <c>.Answers</c> (chat events to answers and notifications),
/// <c>.History</c> (the kept history, read off this actor); <see cref="JsonRpcParams"/> checks
/// parameters, <see cref="JsonRpcPending"/> holds what waits, <see cref="JsonRpcOutput"/> writes.
/// </summary>
internal sealed partial class JsonRpcActor : ReceiveActor, IWithTimers
{
    private readonly JsonRpc.Limits _limits;
    private readonly IJsonRpcOutput _output;
    private readonly JsonRpcState _state = new();
    private readonly TaskCompletionSource<int> _exit;
    private readonly IActorRef? _commands;
    private readonly LineHistory? _history;
    private readonly JsonRpcNotifications _notifications = new();
    private readonly JsonRpcSending _sending = new();
    private readonly JsonRpcPending _pending;
    private readonly SortedSet<string> _rooms = new(StringComparer.Ordinal);
    private long _nextTag;

    // The connection whose request is being handled (answers that come at once go there).
    private long _from;

    public JsonRpcActor(JsonRpc.Limits limits, IJsonRpcOutput output, TaskCompletionSource<int> exit, IActorRef? commands, LineHistory? history)
    {
        _history = history;
        _limits = limits;
        _output = output;
        _exit = exit;
        _commands = commands;
        _pending = new JsonRpcPending(limits.MaxPending, tag => Timers.Cancel(tag));
        Receive<JsonRpc.Line>(l => OnLine(l.Text, l.From));
        Receive<JsonRpc.LineTooLong>(l => _output.Answer(l.From, JsonRpcLines.Error(new JsonRpcError(JsonRpcErrors.InvalidRequest,
            "invalid request: the line (message) is longer than the limit and was not read", null))));
        Receive<JsonRpc.EndOfInput>(_ => Commands.Tell(new ChatClient.EndOfInput()));
        Receive<NoAnswer>(n => Expire(n.Tag));
        Receive<ChatEvent>(OnEvent);
        Receive<Kept>(OnKept);
        Receive<JsonRpc.Interrupt>(OnInterrupt);
        Receive<StopNow>(_ => StopHere("stopped by an interrupt before what was pending reached the server"));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    private IActorRef Commands => _commands ?? Context.Parent;

    private sealed record NoAnswer(string Tag);

    private void OnLine(string line, long from)
    {
        _from = from;
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
                    return Refused(ErrorCodes.NotInRoom, $"you are not in room {room}");
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
                        WriteRooms(w);
                        w.WriteEndObject();
                    }));
                return null;
            case "history" or "forget":
                return KeptHistory(r);
            case "status" or "conversations" or "read":
                return SessionState(r);
            default:
                return new JsonRpcError(JsonRpcErrors.MethodNotFound, $"method not found: {Truncate(r.Method)}", NoId);
        }
    }

    private JsonRpcError? Ask(JsonRpcRequest r, UserCommand what, string? room, string? key)
    {
        var tag = $"rpc-{++_nextTag}";
        var text = what switch
        {
            UserCommand.Say say => say.Text,
            UserCommand.Direct direct => direct.Text,
            _ => null,
        };
        if (text is not null)
        {
            _history?.Sending(tag, text);
            _sending.Add(tag, text, DateTimeOffset.UtcNow);
        }
        if (!r.IsNotification)
        {
            if (_pending.IsFull)
                return new JsonRpcError(JsonRpcErrors.TooManyPending, $"too many requests waiting for an answer (at most {_limits.MaxPending}); wait for some", null);
            _pending.Add(new JsonRpcPending.Entry(tag, r.RawId!, r.Method, key, _from));
            Timers.StartSingleTimer(tag, new NoAnswer(tag), _limits.AnswerTimeout);
        }
        Commands.Tell(new ChatClient.Command(what, room, tag));
        return null;
    }

    // An answer to the request being handled.
    private void Write(string line) => _output.Answer(_from, line);

    // An answer to a request that waited.
    private void Write(JsonRpcPending.Entry to, string line) => _output.Answer(to.From, line);

    /// <summary>The rooms this client is in, as the "rooms" array of a result (rooms and status).</summary>
    private void WriteRooms(System.Text.Json.Utf8JsonWriter w)
    {
        w.WriteStartArray("rooms");
        foreach (var room in _rooms)
            w.WriteStringValue(room);
        w.WriteEndArray();
    }
}
