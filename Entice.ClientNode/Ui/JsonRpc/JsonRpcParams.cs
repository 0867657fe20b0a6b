using Entice.Wire;

namespace Entice.ClientNode.Ui.JsonRpc;

/// <summary>
/// The checks on a request's parameters: rooms and names in canonical form, and the errors that say
/// what was wrong with them.
/// </summary>
internal static class JsonRpcParams
{
    public static string? Room(JsonRpcRequest r, string field, out string? problem) => Canonical(r, field, room: true, out problem);

    public static string? Name(JsonRpcRequest r, string field, out string? problem) => Canonical(r, field, room: false, out problem);

    public static JsonRpcError Bad(string problem) => new(JsonRpcErrors.InvalidParams, $"invalid params: {problem}", null);

    public static JsonRpcError Refused(string code, string message) => new(JsonRpcErrors.For(code), message, null, code);

    public static string Truncate(string s) => s.Length <= 64 ? s : s[..64] + "…";

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
}
