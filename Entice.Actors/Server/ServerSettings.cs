using Entice.Server.Cluster;
using Entice.Wire;

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
    /// <summary>A room writes its pending relay lines at most once per this interval (zero: once per burst).</summary>
    public TimeSpan RelayLogInterval { get; init; } = TimeSpan.FromMilliseconds(200);
    public int MaxConnections { get; init; } = 10000;
    /// <summary>Connections opened or closed since the last memory trim that make the next one due (0: never trim).</summary>
    public int MemoryTrimAfterConnections { get; init; }
    /// <summary>How long no connection may open or close before a due memory trim runs.</summary>
    public TimeSpan MemoryTrimWhenQuietFor { get; init; } = TimeSpan.FromSeconds(2);
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(5);
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(15);
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(45);
    public double EnvelopesPerSecond { get; init; } = 500;
    public int EnvelopeBurst { get; init; } = 2000;
    public int MaxRoomsPerClient { get; init; } = 32;
    public int MaxRoomMembers { get; init; } = 1000;
    public TimeSpan ShutdownGrace { get; init; } = TimeSpan.FromSeconds(3);
    /// <summary>
    /// Where the offline store lives. Empty: the user's data directory (entice/server) for a fixed port; for
    /// port 0 (a throwaway server, as tests start) a fresh temporary directory, removed when it stops.
    /// </summary>
    public string DataDir { get; init; } = "";
    public int MaxStoredPerRecipient { get; init; } = 1000;
    public TimeSpan StoredTimeToLive { get; init; } = TimeSpan.FromDays(7);

    /// <summary>A name nobody connected with for this long is released (its owner's identity loses it).</summary>
    public TimeSpan NameUnusedRelease { get; init; } = TimeSpan.FromDays(90);
    /// <summary>Largest frame read before a connection's hello is accepted (the hello itself fits easily).</summary>
    public int MaxHelloFrameSize { get; init; } = 1024;
    /// <summary>Bytes of incomplete frames all connections together may hold; past it a connection is closed ("overloaded").</summary>
    public long FrameBufferBudget { get; init; } = 64L * 1024 * 1024;
    /// <summary>Joins and leaves per second one connection may make (token bucket), and the burst.</summary>
    public double JoinsPerSecond { get; init; } = 5;
    public int JoinBurst { get; init; } = 40;
    /// <summary>A room with nobody connected stops after this long (it is started again, from the store, on the next join).</summary>
    public TimeSpan RoomIdleTimeout { get; init; } = TimeSpan.FromSeconds(60);
    /// <summary>Away members one room remembers; past it the longest-away are forgotten.</summary>
    public int MaxAwayMembers { get; init; } = 200;
    /// <summary>A member away this long is forgotten by the room.</summary>
    public TimeSpan AwayTimeToLive { get; init; } = TimeSpan.FromDays(30);
    /// <summary>Envelopes one sender may have waiting in the store (for everyone together); more are refused.</summary>
    public int MaxStoredPerSender { get; init; } = 5000;
    /// <summary>Store calls that may run at once on SQLite (one writer) and on PostgreSQL (a connection pool).</summary>
    public int StoreWorkersSqlite { get; init; } = 1;
    public int StoreWorkersPostgres { get; init; } = 8;
    /// <summary>How long a caller waits for the store's answer before giving up.</summary>
    public TimeSpan StoreAnswerTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Test seam: how the store's workers run each call (a spec adds latency). Null: as is.</summary>
    internal Func<Store.ServerStore.Request, Store.OfflineStore, object?>? StoreCalls { get; init; }

    /// <summary>Other nodes to act as one relay with (off unless a cluster port or seed nodes are set).</summary>
    public ClusterSettings Cluster { get; init; } = new();

    public bool UsesThrowawayDataDir => DataDir.Length == 0 && Port == 0;

    /// <summary>The encrypted channel to each client (entice.server.channel).</summary>
    public Entice.Channels.ChannelSettings Channel { get; init; } = new();

    /// <summary>Off: the old plaintext protocol, only to measure the channel's cost (entice.server.channel.enabled).</summary>
    public bool ChannelEnabled { get; init; } = true;

    /// <summary>What the transport needs of these settings; <paramref name="channelKey"/> null: plaintext (channel off).</summary>
    public Entice.Transport.ClientLinkOptions LinkOptions(Entice.Channels.X25519KeyPair? channelKey) => new()
    {
        Host = Host,
        Port = Port,
        Backlog = Backlog,
        MaxConnections = MaxConnections,
        MemoryTrimAfterConnections = MemoryTrimAfterConnections,
        MemoryTrimWhenQuietFor = MemoryTrimWhenQuietFor,
        FrameBufferBudget = FrameBufferBudget,
        MaxHelloFrameSize = MaxHelloFrameSize,
        MaxFrameSize = MaxFrameSize,
        MaxOutboundQueueBytes = MaxOutboundQueueBytes,
        HandshakeTimeout = HandshakeTimeout,
        HeartbeatInterval = HeartbeatInterval,
        IdleTimeout = IdleTimeout,
        Channel = Channel,
        ChannelKey = ChannelEnabled ? channelKey : null,
    };

    /// <summary>Where the store lives when no data-dir is set and the port is fixed: ~/.local/share/entice/server.</summary>
    public static string DefaultDataDir() =>
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), "entice", "server");

    public static ServerSettings FromConfig(Akka.Configuration.Config root)
    {
        var c = root.GetConfig("entice.server");
        var d = new ServerSettings();
        if (c is null)
            return d with { Cluster = ClusterSettings.FromConfig(root) };
        return new ServerSettings
        {
            Host = c.GetString("host", d.Host),
            Port = c.GetInt("port", d.Port),
            MaxFrameSize = checked((int)(c.GetByteSize("max-frame-size") ?? d.MaxFrameSize)),
            MaxOutboundQueueBytes = c.GetByteSize("max-outbound-queue") ?? d.MaxOutboundQueueBytes,
            Backlog = c.GetInt("backlog", d.Backlog),
            LogHexPrefix = c.GetInt("log-hex-prefix", d.LogHexPrefix),
            RelayLogInterval = c.GetTimeSpan("relay-log-interval", d.RelayLogInterval),
            MaxConnections = c.GetInt("max-connections", d.MaxConnections),
            MemoryTrimAfterConnections = Math.Max(0, c.GetInt("memory-trim.after-connections", d.MemoryTrimAfterConnections)),
            MemoryTrimWhenQuietFor = c.GetTimeSpan("memory-trim.when-quiet-for", d.MemoryTrimWhenQuietFor),
            HandshakeTimeout = c.GetTimeSpan("handshake-timeout", d.HandshakeTimeout),
            HeartbeatInterval = c.GetTimeSpan("heartbeat-interval", d.HeartbeatInterval),
            IdleTimeout = c.GetTimeSpan("idle-timeout", d.IdleTimeout),
            EnvelopesPerSecond = c.GetDouble("rate-limit.envelopes-per-second", d.EnvelopesPerSecond),
            EnvelopeBurst = c.GetInt("rate-limit.burst", d.EnvelopeBurst),
            MaxRoomsPerClient = c.GetInt("max-rooms-per-client", d.MaxRoomsPerClient),
            // The member list travels in one RoomJoined message, which the codec caps.
            MaxRoomMembers = Math.Min(c.GetInt("max-room-members", d.MaxRoomMembers), WireLimits.MaxMembers),
            ShutdownGrace = c.GetTimeSpan("shutdown-grace", d.ShutdownGrace),
            DataDir = c.GetString("data-dir", d.DataDir),
            MaxStoredPerRecipient = c.GetInt("offline.max-per-recipient", d.MaxStoredPerRecipient),
            StoredTimeToLive = c.GetTimeSpan("offline.time-to-live", d.StoredTimeToLive),
            MaxStoredPerSender = c.GetInt("offline.max-per-sender", d.MaxStoredPerSender),
            NameUnusedRelease = c.GetTimeSpan("names.release-unused-after", d.NameUnusedRelease),
            MaxHelloFrameSize = checked((int)(c.GetByteSize("max-hello-frame-size") ?? d.MaxHelloFrameSize)),
            FrameBufferBudget = c.GetByteSize("frame-buffer-budget") ?? d.FrameBufferBudget,
            JoinsPerSecond = c.GetDouble("rate-limit.joins-per-second", d.JoinsPerSecond),
            JoinBurst = c.GetInt("rate-limit.join-burst", d.JoinBurst),
            RoomIdleTimeout = c.GetTimeSpan("room-idle-timeout", d.RoomIdleTimeout),
            MaxAwayMembers = c.GetInt("away.max-per-room", d.MaxAwayMembers),
            AwayTimeToLive = c.GetTimeSpan("away.time-to-live", d.AwayTimeToLive),
            StoreWorkersSqlite = c.GetInt("store.sqlite-workers", d.StoreWorkersSqlite),
            StoreWorkersPostgres = c.GetInt("store.postgres-workers", d.StoreWorkersPostgres),
            StoreAnswerTimeout = c.GetTimeSpan("store.answer-timeout", d.StoreAnswerTimeout),
            Cluster = ClusterSettings.FromConfig(root),
            Channel = Entice.Channels.ChannelSettings.FromConfig(root, "entice.server"),
            ChannelEnabled = c.GetBoolean("channel.enabled", d.ChannelEnabled),
        };
    }
}
