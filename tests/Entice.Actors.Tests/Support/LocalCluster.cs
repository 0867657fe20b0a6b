using System.Net;
using System.Security.Cryptography.X509Certificates;
using Akka.Actor;
using Entice.Config;
using Entice.Server;
using Entice.Server.Cluster;

namespace Entice.Tests.Support;

/// <summary>A relay node in this process that is a member of an Akka cluster on 127.0.0.1.</summary>
internal sealed record RelayNode(ActorSystem System, IPEndPoint Endpoint)
{
    public Address Address => Akka.Cluster.Cluster.Get(System).SelfAddress;

    public int Port => Endpoint.Port;
}

/// <summary>Starts server nodes as one cluster (each its own ActorSystem, free ports) sharing one store.</summary>
internal static class LocalCluster
{
    /// <param name="store">
    /// The shared store's connection string (PostgreSQL); empty for the node's own SQLite (throwaway).
    /// </param>
    /// <param name="seed">A running node to join; null: start a new cluster.</param>
    /// <param name="config">More HOCON for this node's actor system.</param>
    /// <param name="certificate">The certificate the node presents and pins; null: the test cluster's (<see cref="TestCertificates.Cluster"/>).</param>
    public static async Task<RelayNode> StartNodeAsync(string store, RelayNode? seed = null, ServerSettings? settings = null, string config = "",
        X509Certificate2? certificate = null)
    {
        var cluster = Settings(certificate ?? TestCertificates.Cluster) with { Postgres = store };
        var system = CreateSystem(cluster, config);
        var akkaCluster = Akka.Cluster.Cluster.Get(system);
        using var joining = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await akkaCluster.JoinAsync(seed?.Address ?? akkaCluster.SelfAddress, joining.Token);
        var started = await RelayServer.StartAsync(system, (settings ?? new ServerSettings()) with { Host = "127.0.0.1", Port = 0, Cluster = cluster });
        return new RelayNode(system, started.Endpoint);
    }

    /// <summary>
    /// A cluster node's settings on 127.0.0.1 (a free port) presenting <paramref name="certificate"/>; null:
    /// plaintext Akka.Remote (the loopback-only <c>insecure</c> opt-in).
    /// </summary>
    public static ClusterSettings Settings(X509Certificate2? certificate) => new()
    {
        Enabled = true,
        Host = "127.0.0.1",
        Port = 0,
        Certificate = certificate,
        Tls = new ClusterTls { Insecure = certificate is null },
    };

    /// <summary>A cluster node's actor system (bound, not yet a member of anything), as the server program makes it.</summary>
    public static ActorSystem CreateSystem(ClusterSettings cluster, string config = "") =>
        ClusterNode.CreateSystem(cluster, AkkaConfig(cluster, config));

    /// <summary>
    /// An outsider's actor system on TLS: it presents <paramref name="certificate"/> and, as an attacker
    /// would, accepts whatever certificate a peer presents.
    /// </summary>
    public static ActorSystem CreateOutsiderSystem(X509Certificate2 certificate)
    {
        var cluster = Settings(certificate);
        var setup = Akka.Actor.Setup.ActorSystemSetup.Create(BootstrapSetup.Create().WithConfig(AkkaConfig(cluster, "")))
            .And(new Akka.Remote.Transport.DotNetty.DotNettySslSetup(certificate, suppressValidation: true, requireMutualAuthentication: true,
                validateCertificateHostname: false, customValidator: (_, _, _, _, _) => true));
        return ActorSystem.Create(ClusterSettings.SystemName, setup);
    }

    private static Akka.Configuration.Config AkkaConfig(ClusterSettings cluster, string config)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        return Akka.Configuration.ConfigurationFactory.ParseString($"""
                {config}
                akka.loglevel = WARNING
                akka.loggers = ["Akka.Event.DefaultLogger"]
                akka.coordinated-shutdown.run-by-clr-shutdown-hook = off
                """)
            .WithFallback(cluster.ToAkkaConfig())
            .WithFallback(EnticeConfig.Cluster())
            .WithFallback(EnticeConfig.Server());
    }

    /// <summary>Leaves the cluster as Ctrl+C would: clients are told, then the node leaves and stops.</summary>
    public static Task LeaveAsync(RelayNode node) =>
        CoordinatedShutdown.Get(node.System).Run(CoordinatedShutdown.ClrExitReason.Instance);
}
