namespace Entice.Channels;

/// <summary>How a server's key compares with its pin.</summary>
public enum ServerPinStatus
{
    /// <summary>First contact with this address: the key is now pinned (trust on first use).</summary>
    New,

    /// <summary>The pinned key.</summary>
    Same,

    /// <summary>Another key than the pinned one: stop, and tell the user (<see cref="ServerPinCheck.Message"/>).</summary>
    Changed,
}

/// <summary>The result of <see cref="ServerPins.Check"/>, with the message to show for a changed key.</summary>
public sealed record ServerPinCheck(ServerPinStatus Status, string Server, ServerFingerprint Presented, ServerFingerprint? Pinned)
{
    public string Message => Status switch
    {
        ServerPinStatus.New => $"Pinned the key of the server at {Server}: {Presented}",
        ServerPinStatus.Same => $"The server at {Server} has its pinned key {Presented}",
        _ => $"SERVER KEY CHANGED: the server at {Server} presented key {Presented}, but key {Pinned} is pinned for it. "
            + "Someone on the network may be posing as the server, or its key was replaced. Nothing was sent. "
            + "Ask the server's operator which key it printed at start; only if it is the new one, accept it by "
            + $"connecting once with --server {Server}@{Presented.ToCompactString()}",
    };

    public override string ToString() => Message;
}
