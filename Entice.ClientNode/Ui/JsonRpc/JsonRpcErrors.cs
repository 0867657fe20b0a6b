using Entice.Wire;

namespace Entice.ClientNode.Ui.JsonRpc;

/// <summary>
/// JSON-RPC error codes: the protocol's own (-32700 .. -32600), this API's (-32004, -32005, -32006), and
/// one application code per <see cref="ErrorCodes"/> constant, so a bot can switch on a number; the
/// error's data carries the same code as text. The numbers are a contract (docs/JSON-RPC.md): add, never renumber.
/// </summary>
public static class JsonRpcErrors
{
    public const int ParseError = -32700;
    public const int InvalidRequest = -32600;
    public const int MethodNotFound = -32601;
    public const int InvalidParams = -32602;
    public const int NoAnswer = -32004;
    public const int TooManyPending = -32005;
    public const int NotKept = -32006;

    /// <summary>Any client error code this table does not know (a newer server's).</summary>
    public const int OtherClientError = -32099;

    private static readonly Dictionary<string, int> Application = new(StringComparer.Ordinal)
    {
        [ErrorCodes.NotInRoom] = -32010,
        [ErrorCodes.NoSuchMember] = -32011,
        [ErrorCodes.InvalidRoom] = -32012,
        [ErrorCodes.MessageTooLong] = -32013,
        [ErrorCodes.NotDelivered] = -32014,
        [ErrorCodes.Disconnected] = -32015,
        [ErrorCodes.ServerUnreachable] = -32016,
        [ErrorCodes.UntrustedKey] = -32017,
        [ErrorCodes.UnknownCommand] = -32018,
        [ErrorCodes.TooManyRooms] = -32019,
        [ErrorCodes.RoomFull] = -32020,
        [ErrorCodes.RateLimited] = -32021,
        [ErrorCodes.RecipientFull] = -32022,
        [ErrorCodes.SenderFull] = -32023,
        [ErrorCodes.Overloaded] = -32024,
        [ErrorCodes.InvalidName] = -32025,
        [ErrorCodes.DecryptFailed] = -32026,
        [ErrorCodes.ActorFailed] = -32027,
    };

    /// <summary>The number for a client/wire error code.</summary>
    public static int For(string code) => Application.TryGetValue(code, out var n) ? n : OtherClientError;

    /// <summary>Every mapped code, for the documentation and its spec.</summary>
    public static IReadOnlyDictionary<string, int> Table => Application;
}
