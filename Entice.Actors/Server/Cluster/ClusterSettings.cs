namespace Entice.Server.Cluster;

/// <summary>
/// How a server node joins other nodes, read from <c>entice.cluster</c> in <c>hocon/cluster.conf</c>.
/// Clustering is on when a cluster port or seed nodes are given; otherwise the node runs alone.
/// </summary>
public sealed record ClusterSettings
{
    /// <summary>The actor system's name; every node of one cluster must use the same.</summary>
    public const string SystemName = "entice-server";

    public string Host { get; init; } = "127.0.0.1";
    public int Port { get; init; }
    public IReadOnlyList<string> SeedNodes { get; init; } = [];
    public string Postgres { get; init; } = "";
    public TimeSpan RoomHelloInterval { get; init; } = TimeSpan.FromSeconds(1);
    public TimeSpan PeerDeliveryTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// On when a cluster port or seed nodes are set (see <see cref="Decide"/>). A node that clusters on
    /// a free port (0, as tests do) sets it directly.
    /// </summary>
    public bool Enabled { get; init; }

    /// <summary>
    /// Clustering is on exactly when a cluster port or seed nodes were given. A malformed seed node is a
    /// <see cref="FormatException"/> here, at start, rather than a failed join later.
    /// </summary>
    public ClusterSettings Decide()
    {
        foreach (var seed in SeedNodes)
            _ = SeedAddress(seed);
        return this with { Enabled = Port != 0 || SeedNodes.Count > 0 };
    }

    public static ClusterSettings FromConfig(Akka.Configuration.Config root)
    {
        ArgumentNullException.ThrowIfNull(root);
        var c = root.GetConfig("entice.cluster");
        var d = new ClusterSettings();
        if (c is null)
            return d;
        return new ClusterSettings
        {
            Host = c.GetString("host", d.Host),
            Port = c.GetInt("port", d.Port),
            SeedNodes = c.GetStringList("seed-nodes", []).ToList(),
            Postgres = c.GetString("postgres", d.Postgres),
            RoomHelloInterval = c.GetTimeSpan("room-hello-interval", d.RoomHelloInterval),
            PeerDeliveryTimeout = c.GetTimeSpan("peer-delivery-timeout", d.PeerDeliveryTimeout),
        }.Decide();
    }

    /// <summary>"HOST:PORT" → the Akka address of that node's actor system.</summary>
    public static string SeedAddress(string hostPort)
    {
        ArgumentNullException.ThrowIfNull(hostPort);
        var colon = hostPort.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(hostPort.AsSpan(colon + 1), out var port) || port is <= 0 or > 65535)
            throw new FormatException($"seed node \"{hostPort}\" is not HOST:PORT");
        return $"akka.tcp://{SystemName}@{hostPort[..colon]}:{port}";
    }

    /// <summary>
    /// The Akka settings this node needs on top of <c>hocon/cluster.conf</c>: where other nodes reach it.
    /// Whom to join is <see cref="ClusterNode.Join"/>'s business.
    /// </summary>
    public Akka.Configuration.Config ToAkkaConfig() =>
        Akka.Configuration.ConfigurationFactory.ParseString($"akka.remote.dot-netty.tcp {{ hostname = \"{Host}\", port = {Port} }}");
}
