using Entice.Client.History;
using static Entice.ClientNode.Ui.JsonRpc.JsonRpcParams;

namespace Entice.ClientNode.Ui.JsonRpc;

// What the session knows (JsonRpcState), for a page that connects late: "status", "conversations" with
// their unread counts, and "read" (which every connection is told of, so another tab clears its badge).
internal sealed partial class JsonRpcActor
{
    private JsonRpcError? SessionState(JsonRpcRequest r)
    {
        switch (r.Method)
        {
            case "status":
                if (!r.IsNotification)
                    Write(JsonRpcLines.Result(r.RawId!, w =>
                    {
                        w.WriteStartObject();
                        w.WriteString("name", _state.Name);
                        w.WriteString("fingerprint", _state.Fingerprint);
                        w.WriteString("room", _state.FirstRoom);
                        w.WriteString("connection", _state.Connection);
                        w.WriteString("server", _state.Server);
                        WriteRooms(w);
                        w.WriteEndObject();
                    }));
                return null;
            case "conversations":
                if (!r.IsNotification)
                    Write(JsonRpcLines.Result(r.RawId!, w =>
                    {
                        w.WriteStartObject();
                        _state.WriteConversations(w);
                        w.WriteEndObject();
                    }));
                return null;
            default: // read
            {
                var room = Room(r, "room", out var p1);
                var with = Name(r, "with", out var p2);
                if ((p1 ?? p2) is { } problem)
                    return Bad(problem);
                if ((room is null) == (with is null))
                    return Bad("exactly one of \"room\" and \"with\" is required");
                var conversation = room is not null ? KeptMessage.Room(room) : KeptMessage.DirectWith(with!);
                if (!_state.Read(conversation))
                    return Bad($"no conversation {conversation} (see \"conversations\")");
                if (!r.IsNotification)
                    Write(JsonRpcLines.Result(r.RawId!, w =>
                    {
                        w.WriteStartObject();
                        w.WriteString("conversation", conversation);
                        w.WriteNumber("unread", 0);
                        w.WriteEndObject();
                    }));
                var time = DateTimeOffset.UtcNow.ToString("O");
                _output.Notify(JsonRpcLines.Notification("read", w =>
                {
                    w.WriteString("conversation", conversation);
                    w.WriteString("time", time);
                }));
                return null;
            }
        }
    }
}
