using Akka.Actor;
using Entice.Server.Store;

namespace Entice.Tests.Support;

/// <summary>The <see cref="ServerStore"/> actor over a store a spec opened itself (and may read directly).</summary>
public static class StoreActors
{
    /// <summary>The store's dispatcher, for a TestKit system that does not load hocon/server.conf.</summary>
    public const string DispatcherHocon = """
        entice.store-dispatcher { type = ForkJoinDispatcher, throughput = 1, dedicated-thread-pool.thread-count = 5 }
        """;

    /// <summary>A TestKit system that is a cluster node on loopback (port 0), with the store's dispatcher.</summary>
    public const string ClusterNodeHocon = """
        akka.loglevel = WARNING
        akka.actor.provider = cluster
        akka.remote.dot-netty.tcp { hostname = "127.0.0.1", port = 0 }
        """ + "\n" + DispatcherHocon;

    /// <summary>Starts the store actor; it runs <paramref name="calls"/> (default: each request as is) on up to <paramref name="workers"/> at once.</summary>
    public static IActorRef Start(IActorRefFactory system, OfflineStore store, int workers = 4, Func<ServerStore.Request, OfflineStore, object?>? calls = null,
        string? name = null) =>
        system.ActorOf(ServerStore.Props(() => store, workers, calls), name ?? "store-" + Guid.NewGuid().ToString("N")[..8]);
}
