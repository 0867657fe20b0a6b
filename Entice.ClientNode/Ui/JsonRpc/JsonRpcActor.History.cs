using System.Text.Json;
using Akka.Actor;
using Entice.Client.History;
using Entice.ClientNode.Ui.Views;
using static Entice.ClientNode.Ui.JsonRpc.JsonRpcParams;

namespace Entice.ClientNode.Ui.JsonRpc;

// The kept history: "history" (room or with, limit, before or after) and "forget" (room or with), read and
// deleted off this actor, answered when done.
internal sealed partial class JsonRpcActor
{
    // A history query or forget done (off this actor), to answer the request with RawId.
    private sealed record Kept(string RawId, string Conversation, IReadOnlyList<KeptMessage>? Messages, string? Problem, bool Failed = false, long From = 0);

    private JsonRpcError? KeptHistory(JsonRpcRequest r)
    {
        if (_history is not { Keeps: true })
            return new JsonRpcError(JsonRpcErrors.NotKept, "history is not kept (entice.client.history.keep = 0, or it could not be opened)", null);
        var room = Room(r, "room", out var p1);
        var with = Name(r, "with", out var p2);
        var before = r.Text("before", out var p3);
        var after = r.Text("after", out var p4);
        if ((p1 ?? p2 ?? p3 ?? p4) is { } problem)
            return Bad(problem);
        if (before is not null && after is not null)
            return Bad("at most one of \"before\" and \"after\"");
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
        var from = _from;
        if (r.Method == "forget")
        {
            _history.ForgetAsync(conversation).PipeTo(Self,
                success: _ => new Kept(id ?? "", conversation, null, null, From: from),
                failure: e => new Kept(id ?? "", conversation, null, e.GetType().Name, Failed: true, From: from));
            return null;
        }
        if (id is null)
            return null; // a history notification asks for nothing
        _history.QueryAsync(conversation, limit, before, after).PipeTo(Self,
            success: q => new Kept(id, conversation, q.Messages, q.Problem, From: from),
            failure: e => new Kept(id, conversation, null, e.GetType().Name, Failed: true, From: from));
        return null;
    }

    private void OnKept(Kept k)
    {
        if (k.RawId.Length == 0)
            return;
        _from = k.From;
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
}
