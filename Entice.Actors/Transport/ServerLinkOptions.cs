using System.Net;
using Entice.Channels;

namespace Entice.Transport;

/// <summary>
/// What the client's connection actor needs to know: the servers to try (each with the key expected
/// of it, if given), limits, the channel, and where pins live. Built by the client from its settings
/// (ClientSettings.LinkOptions), so Transport does not depend on Client.
/// </summary>
public sealed record ServerLinkOptions
{
    public IReadOnlyList<DnsEndPoint> Servers { get; init; } = [new("127.0.0.1", 42000)];

    /// <summary>Keys given up front (HOST:PORT@FINGERPRINT), by <see cref="ServerTarget.KeyOf"/>.</summary>
    public IReadOnlyDictionary<string, ServerFingerprint> ServerKeys { get; init; } = new Dictionary<string, ServerFingerprint>();

    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);
    public int MaxFrameSize { get; init; } = 64 * 1024;
    public long MaxOutboundQueueBytes { get; init; } = 16 * 1024 * 1024;
    public ChannelSettings Channel { get; init; } = new();

    /// <summary>
    /// The directory of <see cref="ServerPins"/> (the key directory). Empty: nothing is pinned and a server
    /// without a given key is taken as it comes (tests only; the client program always sets it).
    /// </summary>
    public string PinDirectory { get; init; } = "";

    public ServerFingerprint? ExpectedKey(DnsEndPoint server) => ServerKeys.GetValueOrDefault(ServerTarget.KeyOf(server));
}
