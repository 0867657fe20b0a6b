using System.Net;
using Entice.Channels;
using Entice.Transport;

namespace Entice.Client;

/// <summary>The client node's knobs: <c>entice.client</c> in <c>hocon/client.conf</c>, then the command line.</summary>
public sealed record ClientSettings
{
    public required string Name { get; init; }
    public string Room { get; init; } = "lobby";
    public IReadOnlyList<DnsEndPoint> Servers { get; init; } = [new("127.0.0.1", 42000)];
    /// <summary>Server keys given up front (HOST:PORT@FINGERPRINT), by <see cref="ServerTarget.KeyOf"/>: required, and pinned.</summary>
    public IReadOnlyDictionary<string, ServerFingerprint> ServerKeys { get; init; } = new Dictionary<string, ServerFingerprint>();
    /// <summary>Where server key pins live (servers.pins): the key directory. Empty: no pins (specs only).</summary>
    public string PinDirectory { get; init; } = "";
    /// <summary>The encrypted channel to the relay (entice.client.channel).</summary>
    public ChannelSettings Channel { get; init; } = new();
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);
    public int MaxFrameSize { get; init; } = 64 * 1024;
    public int MaxSkip { get; init; } = 1000;
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(30);
    public long MaxOutboundQueueBytes { get; init; } = 16 * 1024 * 1024;
    public TimeSpan ReconnectInitial { get; init; } = TimeSpan.FromMilliseconds(500);
    public TimeSpan ReconnectMax { get; init; } = TimeSpan.FromSeconds(30);
    /// <summary>Unacknowledged envelopes are sent again when the server has not taken them this long.</summary>
    public TimeSpan ResendAfter { get; init; } = TimeSpan.FromSeconds(2);
    /// <summary>A room message read goes acknowledged to its sender this long after it was read, with any others read meanwhile.</summary>
    public TimeSpan ReceiptDelay { get; init; } = TimeSpan.FromMilliseconds(50);
    /// <summary>While a sender's room messages keep coming, one receipt to them at most this often (a burst costs them few decrypts).</summary>
    public TimeSpan ReceiptIntervalInBurst { get; init; } = TimeSpan.FromMilliseconds(250);
    /// <summary>How long a message waits for a recipient who is away (after a restart, say) before it is given up.</summary>
    public TimeSpan RecipientWait { get; init; } = TimeSpan.FromSeconds(30);
    /// <summary>Longest message text (UTF-8 bytes) sent or put back together; longer ones are refused with an error.</summary>
    public int MaxMessageBytes { get; init; } = 1024 * 1024;
    /// <summary>Text per fragment of a long message (UTF-8 bytes); each fragment is one envelope, well inside a frame.</summary>
    public int FragmentBytes { get; init; } = 32 * 1024;
    /// <summary>How long an unfinished long message from a peer waits for its next fragment.</summary>
    public TimeSpan FragmentTimeout { get; init; } = TimeSpan.FromSeconds(60);
    /// <summary>Envelopes per second this client sends at most (keep it under the server's rate limit).</summary>
    public double PacingPerSecond { get; init; } = 400;
    /// <summary>Envelopes this client may send at once before pacing starts (keep it under the server's burst).</summary>
    public int PacingBurst { get; init; } = 1000;
    /// <summary>How long a message that arrived ahead of an earlier one from the same sender is held back before the gap is reported.</summary>
    public TimeSpan ReorderWait { get; init; } = TimeSpan.FromSeconds(5);
    /// <summary>--once: at the end (end of input, Ctrl+C, SIGTERM) leave every room for good, so rooms do
    /// not keep a member (and messages for them) who will not come back.</summary>
    public bool LeaveOnExit { get; init; }

    public static ClientSettings FromConfig(Akka.Configuration.Config root, string name)
    {
        var c = root.GetConfig("entice.client");
        var d = new ClientSettings { Name = name };
        if (c is null)
            return d;
        return d with
        {
            Room = c.GetString("room", d.Room),
            // Empty: none configured, the client looks for one on the local network (Entice.Discovery).
            Servers = c.GetString("server", "") is { Length: > 0 } configured ? ParseServers(configured) : [],
            ServerKeys = c.GetString("server", "") is { Length: > 0 } keyed ? KeysOf(ServerTarget.ParseList(keyed)) : d.ServerKeys,
            Channel = ChannelSettings.FromConfig(root, "entice.client"),
            ConnectTimeout = c.GetTimeSpan("connect-timeout", d.ConnectTimeout),
            MaxFrameSize = checked((int)(c.GetByteSize("max-frame-size") ?? d.MaxFrameSize)),
            MaxSkip = c.GetInt("max-skip", d.MaxSkip),
            DrainTimeout = c.GetTimeSpan("drain-timeout", d.DrainTimeout),
            ReconnectInitial = c.GetTimeSpan("reconnect.initial-delay", d.ReconnectInitial),
            ReconnectMax = c.GetTimeSpan("reconnect.max-delay", d.ReconnectMax),
            ResendAfter = c.GetTimeSpan("resend-after", d.ResendAfter),
            ReceiptDelay = c.GetTimeSpan("receipt-delay", d.ReceiptDelay),
            ReceiptIntervalInBurst = c.GetTimeSpan("receipt-interval-in-burst", d.ReceiptIntervalInBurst),
            RecipientWait = c.GetTimeSpan("recipient-wait", d.RecipientWait),
            MaxMessageBytes = checked((int)(c.GetByteSize("max-message-size") ?? d.MaxMessageBytes)),
            FragmentBytes = checked((int)(c.GetByteSize("fragment-size") ?? d.FragmentBytes)),
            FragmentTimeout = c.GetTimeSpan("fragment-timeout", d.FragmentTimeout),
            PacingPerSecond = c.GetDouble("pacing.envelopes-per-second", d.PacingPerSecond),
            PacingBurst = c.GetInt("pacing.burst", d.PacingBurst),
            ReorderWait = c.GetTimeSpan("reorder-wait", d.ReorderWait),
        };
    }

    /// <summary>"host:port[@fingerprint][,...]"; IPv6 as [addr]:port. Throws FormatException with the bad part.</summary>
    public static IReadOnlyList<DnsEndPoint> ParseServers(string list) =>
        [.. ServerTarget.ParseList(list).Select(t => t.Endpoint)];

    /// <summary>These servers, with the keys given for them (HOST:PORT@FINGERPRINT) required.</summary>
    public ClientSettings WithServers(IReadOnlyList<ServerTarget> targets)
    {
        ArgumentNullException.ThrowIfNull(targets);
        return this with { Servers = [.. targets.Select(t => t.Endpoint)], ServerKeys = KeysOf(targets) };
    }

    /// <summary>What the connection actor needs (Transport does not depend on Client).</summary>
    public ServerLinkOptions LinkOptions() => new()
    {
        Servers = Servers,
        ServerKeys = ServerKeys,
        ConnectTimeout = ConnectTimeout,
        MaxFrameSize = MaxFrameSize,
        MaxOutboundQueueBytes = MaxOutboundQueueBytes,
        Channel = Channel with { MaxFrameSize = NoiseFrameLayer.UnitLimit(MaxFrameSize) },
        PinDirectory = PinDirectory,
    };

    private static Dictionary<string, ServerFingerprint> KeysOf(IEnumerable<ServerTarget> targets)
    {
        var keys = new Dictionary<string, ServerFingerprint>(StringComparer.Ordinal);
        foreach (var t in targets)
            if (t.Fingerprint is not null)
                keys[ServerTarget.KeyOf(t.Endpoint)] = t.Fingerprint;
        return keys;
    }
}
