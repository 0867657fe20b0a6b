using System.Security.Cryptography.X509Certificates;
using Entice.Server.Store;

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

    /// <summary>Where the cluster's certificate comes from (<c>entice.cluster.tls</c>).</summary>
    public ClusterTls Tls { get; init; } = new();

    /// <summary>
    /// The cluster's certificate this node presents and pins (see <see cref="Secure"/>); null: plaintext
    /// Akka.Remote, which <see cref="ClusterNode.CreateSystem"/> allows only with <see cref="ClusterTls.Insecure"/>.
    /// </summary>
    public X509Certificate2? Certificate { get; init; }

    /// <summary>The Akka protocol of every node's address: TLS nodes are <c>akka.ssl.tcp</c>.</summary>
    public string Protocol => Certificate is null ? "akka.tcp" : "akka.ssl.tcp";

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
            Tls = ClusterTls.FromConfig(c.GetConfig("tls")),
        }.Decide();
    }

    /// <summary>
    /// Loads the cluster's certificate (<see cref="ClusterTls.Load"/>) for a node that clusters: a missing or
    /// unusable one is a <see cref="ClusterTlsException"/> here, at start, in one line.
    /// </summary>
    public ClusterSettings Secure() => Enabled && Certificate is null ? this with { Certificate = Tls.Load(Host) } : this;

    /// <summary>"HOST:PORT" → the Akka address of that node's actor system, TLS or not as this node is.</summary>
    public string SeedAddressOf(string hostPort) => Protocol + SeedAddress(hostPort)["akka.tcp".Length..];

    /// <summary>"HOST:PORT" → the (plaintext) Akka address of that node's actor system.</summary>
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
        Akka.Configuration.ConfigurationFactory.ParseString(
            $"akka.remote.dot-netty.tcp {{ hostname = \"{Host}\", port = {Port}, enable-ssl = {(Certificate is null ? "off" : "on")} }}");

    // Records print every property; the store's connection string may hold a password.
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append($"Enabled = {Enabled}, Host = {Host}, Port = {Port}, SeedNodes = [{string.Join(", ", SeedNodes)}], ");
        builder.Append($"Postgres = {StoreConnection.Redacted(Postgres)}, Tls = {Tls}, Certificate = {Certificate?.Subject ?? "(none)"}");
        return true;
    }
}
