using Entice.Channels;

namespace Entice.Transport;

/// <summary>
/// What the listener and each client connection's transport need to know: limits, timeouts and the
/// channel. Built by the server from its settings (ServerSettings.LinkOptions), so Transport does not
/// depend on Server.
/// </summary>
public sealed record ClientLinkOptions
{
    public string Host { get; init; } = "0.0.0.0";

    /// <summary>
    /// Where a listener binds when <see cref="Host"/> is an address; null when it is a name, which the listener
    /// resolves first (asynchronously) and binds to <see cref="ListenAddress"/> of what it finds.
    /// </summary>
    internal System.Net.IPEndPoint? ListenEndpoint() =>
        System.Net.IPAddress.TryParse(Host, out var ip) ? new(ip, Port) : null;

    /// <summary>Of the addresses a host name resolved to, the one to listen on (the first IPv4 one, else the first); null when there are none.</summary>
    internal static System.Net.IPAddress? ListenAddress(System.Net.IPAddress[] resolved) =>
        Array.Find(resolved, a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork) ?? resolved.FirstOrDefault();
    public int Port { get; init; }
    public int Backlog { get; init; } = 256;
    public int MaxConnections { get; init; } = 10000;
    public int MemoryTrimAfterConnections { get; init; }
    public TimeSpan MemoryTrimWhenQuietFor { get; init; } = TimeSpan.FromSeconds(2);
    public long FrameBufferBudget { get; init; } = 64L * 1024 * 1024;
    public int MaxHelloFrameSize { get; init; } = 1024;
    public int MaxFrameSize { get; init; } = 64 * 1024;
    public long MaxOutboundQueueBytes { get; init; } = 4 * 1024 * 1024;
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(5);
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(15);
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(45);
    public ChannelSettings Channel { get; init; } = new();

    /// <summary>The server's static key (not owned); null: no channel, the old plaintext protocol (measuring only).</summary>
    public X25519KeyPair? ChannelKey { get; init; }

    /// <summary>The frame layer for one new connection.</summary>
    public IFrameLayer NewLayer() => ChannelKey is null
        ? PlainFrameLayer.Instance
        : new NoiseFrameLayer(ChannelHandshake.Responder(Channel with { MaxFrameSize = NoiseFrameLayer.UnitLimit(MaxFrameSize) }, ChannelKey));
}
