using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Entice.ClientNode.Ui.JsonRpc;

/// <summary>
/// Writes the lines a session sends: answers and notifications, one JSON object each. Strings are
/// JSON-escaped as they are (control characters become \u escapes; nothing is rendered here).
/// </summary>
public static class JsonRpcLines
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Result(string rawId, Action<Utf8JsonWriter> result) => Write(w =>
    {
        w.WriteRawValue(rawId);
        w.WritePropertyName("result");
        result(w);
    }, id: true);

    public static string Error(JsonRpcError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return Write(w =>
        {
            w.WriteRawValue(error.RawId ?? "null");
            w.WriteStartObject("error");
            w.WriteNumber("code", error.Code);
            w.WriteString("message", error.Message);
            if (error.DataCode is not null)
            {
                w.WriteStartObject("data");
                w.WriteString("code", error.DataCode);
                w.WriteEndObject();
            }
            w.WriteEndObject();
        }, id: true);
    }

    public static string Notification(string method, Action<Utf8JsonWriter> parameters) => Write(w =>
    {
        w.WriteString("method", method);
        w.WriteStartObject("params");
        parameters(w);
        w.WriteEndObject();
    }, id: false);

    private static string Write(Action<Utf8JsonWriter> body, bool id)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, Options))
        {
            w.WriteStartObject();
            w.WriteString("jsonrpc", "2.0");
            if (id)
                w.WritePropertyName("id");
            body(w);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
