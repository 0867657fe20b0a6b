using System.Text.Json;

namespace Entice.ClientNode.Ui.JsonRpc;

/// <summary>
/// One request line, checked as JSON-RPC 2.0 says. Never throws: a line is either a request or the
/// error to answer it with. Batches (arrays) are refused as -32600 (documented).
/// </summary>
public sealed record JsonRpcRequest(string Method, JsonElement Params, string? RawId)
{
    /// <summary>A notification (no "id"): carried out, never answered.</summary>
    public bool IsNotification => RawId is null;

    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 16 };

    /// <summary>The request, or the error (and whatever id could be read) to answer the line with.</summary>
    public static (JsonRpcRequest? Request, JsonRpcError? Error) Parse(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(line, Options);
        }
        catch (JsonException)
        {
            return (null, new JsonRpcError(JsonRpcErrors.ParseError, "parse error: not one JSON value", null));
        }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                return (null, new JsonRpcError(JsonRpcErrors.InvalidRequest,
                    root.ValueKind == JsonValueKind.Array ? "invalid request: batches are not supported; send one object per line" : "invalid request: not an object", null));

            string? rawId = null;
            if (root.TryGetProperty("id", out var id))
            {
                if (id.ValueKind is not (JsonValueKind.String or JsonValueKind.Number or JsonValueKind.Null))
                    return (null, new JsonRpcError(JsonRpcErrors.InvalidRequest, "invalid request: id must be a string, a number or null", null));
                rawId = id.GetRawText();
            }
            if (!root.TryGetProperty("jsonrpc", out var version) || version.ValueKind != JsonValueKind.String || version.GetString() != "2.0")
                return (null, new JsonRpcError(JsonRpcErrors.InvalidRequest, "invalid request: \"jsonrpc\" must be \"2.0\"", rawId ?? "null"));
            if (!root.TryGetProperty("method", out var method) || StringOf(method) is not { } methodName)
                return (null, new JsonRpcError(JsonRpcErrors.InvalidRequest, "invalid request: \"method\" must be a string", rawId ?? "null"));
            var parameters = default(JsonElement);
            if (root.TryGetProperty("params", out var p))
            {
                if (p.ValueKind is not (JsonValueKind.Object or JsonValueKind.Array))
                    return (null, new JsonRpcError(JsonRpcErrors.InvalidRequest, "invalid request: \"params\" must be an object or an array", rawId ?? "null"));
                parameters = p.Clone();
            }
            return (new JsonRpcRequest(methodName, parameters, rawId), null);
        }
    }

    /// <summary>A string parameter: its value, or null when absent; <paramref name="problem"/> when present but wrong.</summary>
    public string? Text(string name, out string? problem)
    {
        problem = null;
        if (Params.ValueKind != JsonValueKind.Object || !Params.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
            return null;
        if (StringOf(v) is not { } text)
        {
            problem = $"\"{name}\" must be a string of valid text";
            return null;
        }
        return text;
    }

    // A JSON string's value; null for another kind or an escaped lone surrogate (no valid text).
    private static string? StringOf(JsonElement e)
    {
        if (e.ValueKind != JsonValueKind.String)
            return null;
        try
        {
            return e.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    public override string ToString() => $"JsonRpcRequest {{ Method = {Method}, Id = {RawId} }}";
}

/// <summary>An error answer: <paramref name="RawId"/> is the request's id as JSON (null when none could be read: "id": null).</summary>
public sealed record JsonRpcError(int Code, string Message, string? RawId, string? DataCode = null);
