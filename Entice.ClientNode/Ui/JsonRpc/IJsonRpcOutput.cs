namespace Entice.ClientNode.Ui.JsonRpc;

/// <summary>
/// Where a JSON-RPC session's lines go: the transport side of the one JSON-RPC core. A line transport
/// (stdin/stdout) has one connection; the web host has one per WebSocket. Called on the session
/// actor's thread only; must never block.
/// </summary>
public interface IJsonRpcOutput
{
    /// <summary>An answer (result or error) to a request read from connection <paramref name="connection"/>.</summary>
    void Answer(long connection, string line);

    /// <summary>A notification: every connection gets it.</summary>
    void Notify(string line);

    /// <summary>The session is over ("stopped" was the last line).</summary>
    void Complete();
}
