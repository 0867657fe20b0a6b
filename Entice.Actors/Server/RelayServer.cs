using System.Net;
using Akka.Actor;
using Entice.Channels;

namespace Entice.Server;

/// <summary>
/// The relay as a whole: a guardian that owns the name registry, the room directory and the TCP
/// listener. Start it with <see cref="StartAsync"/>; the task completes once the socket is bound.
/// </summary>
public static class RelayServer
{
    public const string ActorName = "relay";

    /// <summary>
    /// The guardian. <paramref name="dataDir"/>: where the store and the key live (resolved, see
    /// <see cref="ResolveDataDir"/>); <paramref name="channelKey"/>: the server's static key, owned by the
    /// guardian from now on (wiped when it stops).
    /// </summary>
    public static Props Props(ServerSettings settings, string dataDir, X25519KeyPair channelKey) =>
        Akka.Actor.Props.Create(() => new RelayServerActor(settings, dataDir, channelKey));

    /// <summary>The data directory a start with these settings uses: the set one, a fresh temporary one (port 0), or the default.</summary>
    public static string ResolveDataDir(ServerSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return settings.DataDir.Length > 0 ? settings.DataDir
            : settings.UsesThrowawayDataDir ? Path.Combine(Path.GetTempPath(), "entice-server-" + Guid.NewGuid().ToString("N"))
            : ServerSettings.DefaultDataDir();
    }

    /// <summary>
    /// Starts the relay in <paramref name="system"/> and waits until it listens. The channel key is loaded
    /// (or created, mode 0600) from the data directory first, on a pool thread: never on an actor's.
    /// </summary>
    public static async Task<Started> StartAsync(ActorSystem system, ServerSettings settings, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(system);
        ArgumentNullException.ThrowIfNull(settings);
        var dataDir = ResolveDataDir(settings);
        var channelKey = await Task.Run(() => ServerKeyFile.LoadOrCreate(dataDir, out _)).ConfigureAwait(false);
        IActorRef guardian;
        try
        {
            guardian = system.ActorOf(Props(settings, dataDir, channelKey), ActorName);
        }
        catch
        {
            channelKey.Dispose();
            throw;
        }

        // Not in the guardian's PostStop: a restarted guardian needs the key again.
        _ = system.WhenTerminated.ContinueWith(_ => channelKey.Dispose(), TaskScheduler.Default);

        // Ctrl+C, SIGTERM or system.Terminate(): clients hear why before their connections close.
        CoordinatedShutdown.Get(system).AddTask(CoordinatedShutdown.PhaseServiceUnbind, "entice-relay-goodbye", async () =>
        {
            try
            {
                await guardian.Ask<Stopped>(new Stop(), settings.ShutdownGrace + TimeSpan.FromSeconds(1)).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is AskTimeoutException or TaskCanceledException)
            {
                // Past the grace period the remaining connections are simply closed with the system.
            }
            return Akka.Done.Instance;
        });
        var reply = await guardian.Ask<object>(new AwaitBinding(), timeout ?? TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        return reply switch
        {
            Started s => s,
            BindFailed f => throw new InvalidOperationException($"cannot listen on {settings.Host}:{settings.Port}: {f.Reason}"),
            _ => throw new InvalidOperationException($"unexpected reply {reply.GetType().Name}"),
        };
    }

    public sealed record AwaitBinding;

    /// <summary>
    /// The relay listens on <paramref name="Endpoint"/> (the real port when 0 was asked for); clients
    /// authenticate it by <paramref name="Fingerprint"/>, its channel key's (print it next to the address).
    /// </summary>
    public sealed record Started(IPEndPoint Endpoint, IActorRef Guardian, ServerFingerprint Fingerprint);

    public sealed record BindFailed(string Reason);

    /// <summary>Stop accepting, tell every client, and answer <see cref="Stopped"/> once they are gone (or the grace ends).</summary>
    public sealed record Stop;

    public sealed record Stopped;
}
