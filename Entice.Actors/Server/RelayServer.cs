using System.Net;
using Akka.Actor;

namespace Entice.Server;

/// <summary>
/// The relay as a whole: a guardian that owns the name registry, the room directory and the TCP
/// listener. Start it with <see cref="StartAsync"/>; the task completes once the socket is bound.
/// </summary>
public static class RelayServer
{
    public const string ActorName = "relay";

    public static Props Props(ServerSettings settings) => Akka.Actor.Props.Create(() => new RelayServerActor(settings));

    /// <summary>Starts the relay in <paramref name="system"/> and waits until it listens.</summary>
    public static async Task<Started> StartAsync(ActorSystem system, ServerSettings settings, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(system);
        var guardian = system.ActorOf(Props(settings), ActorName);
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

    /// <summary>The relay listens on <paramref name="Endpoint"/> (the real port when 0 was asked for).</summary>
    public sealed record Started(IPEndPoint Endpoint, IActorRef Guardian);

    public sealed record BindFailed(string Reason);

    /// <summary>Stop accepting, tell every client, and answer <see cref="Stopped"/> once they are gone (or the grace ends).</summary>
    public sealed record Stop;

    public sealed record Stopped;
}
