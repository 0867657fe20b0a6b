using System.Net;
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
    public static async Task<RelayNode> StartNodeAsync(string store, RelayNode? seed = null, ServerSettings? settings = null, string config = "")
    {
        var cluster = new ClusterSettings { Enabled = true, Host = "127.0.0.1", Port = 0, Postgres = store };
        var akkaConfig = Akka.Configuration.ConfigurationFactory.ParseString($"""
                {config}
                akka.loglevel = WARNING
                akka.loggers = ["Akka.Event.DefaultLogger"]
                akka.coordinated-shutdown.run-by-clr-shutdown-hook = off
                """)
            .WithFallback(cluster.ToAkkaConfig())
            .WithFallback(EnticeConfig.Cluster())
            .WithFallback(EnticeConfig.Server());
        var system = ActorSystem.Create(ClusterSettings.SystemName, akkaConfig);
        var akkaCluster = Akka.Cluster.Cluster.Get(system);
        using var joining = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await akkaCluster.JoinAsync(seed?.Address ?? akkaCluster.SelfAddress, joining.Token);
        var started = await RelayServer.StartAsync(system, (settings ?? new ServerSettings()) with { Host = "127.0.0.1", Port = 0, Cluster = cluster });
        return new RelayNode(system, started.Endpoint);
    }

    /// <summary>Leaves the cluster as Ctrl+C would: clients are told, then the node leaves and stops.</summary>
    public static Task LeaveAsync(RelayNode node) =>
        CoordinatedShutdown.Get(node.System).Run(CoordinatedShutdown.ClrExitReason.Instance);
}
