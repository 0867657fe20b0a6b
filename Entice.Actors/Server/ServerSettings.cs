namespace Entice.Server;

/// <summary>The server node's knobs, read from <c>entice.server</c> in <c>hocon/server.conf</c>.</summary>
public sealed record ServerSettings
{
    public string Host { get; init; } = "0.0.0.0";
    public int Port { get; init; } = 42000;
    public int MaxFrameSize { get; init; } = 64 * 1024;
    public long MaxOutboundQueueBytes { get; init; } = 4 * 1024 * 1024;
    public int Backlog { get; init; } = 256;
    public int LogHexPrefix { get; init; } = 16;

    public static ServerSettings FromConfig(Akka.Configuration.Config root)
    {
        var c = root.GetConfig("entice.server");
        var d = new ServerSettings();
        if (c is null)
            return d;
        return new ServerSettings
        {
            Host = c.GetString("host", d.Host),
            Port = c.GetInt("port", d.Port),
            MaxFrameSize = checked((int)(c.GetByteSize("max-frame-size") ?? d.MaxFrameSize)),
            MaxOutboundQueueBytes = c.GetByteSize("max-outbound-queue") ?? d.MaxOutboundQueueBytes,
            Backlog = c.GetInt("backlog", d.Backlog),
            LogHexPrefix = c.GetInt("log-hex-prefix", d.LogHexPrefix),
        };
    }
}
