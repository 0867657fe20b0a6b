using System.Net;
using Akka.Actor;
using Entice.Server;

namespace Entice.Tests.Support;

/// <summary>
/// What one spec started (clients, server actor systems) and the directories it used, all stopped and
/// removed together when it ends: clients first, then servers, then the directories.
/// </summary>
internal sealed class TestNodes : IAsyncDisposable
{
    private readonly List<TestClient> _clients = [];
    private readonly List<ActorSystem> _servers = [];
    private readonly TempDirs _dirs = new();

    /// <summary>Starts a client (see <see cref="LocalNodes.StartClient"/>) that is disposed at the end.</summary>
    public TestClient Client(string name, IPEndPoint server, string? keyDir = null, int[]? morePorts = null, string? config = null,
        Func<DateTimeOffset>? clock = null, TextWriter? lines = null)
    {
        var client = LocalNodes.StartClient(name, server, keyDir: keyDir, morePorts: morePorts, config: config, clock: clock, lines: lines);
        _clients.Add(client);
        return client;
    }

    /// <summary>A server's actor system, terminated at the end (again, if the spec stopped it already).</summary>
    public ActorSystem Server(ActorSystem system)
    {
        _servers.Add(system);
        return system;
    }

    /// <summary>
    /// The start-and-bind preamble: a server (see <see cref="LocalNodes.StartServerAsync"/>) bound on loopback and
    /// accepting, terminated at the end.
    /// </summary>
    public async Task<(ActorSystem System, IPEndPoint Endpoint)> ServerAsync(ServerSettings? settings = null, int port = 0, string? dataDir = null)
    {
        var (system, endpoint) = await LocalNodes.StartServerAsync(settings, port, dataDir);
        _servers.Add(system);
        return (system, endpoint);
    }

    /// <summary>A fresh temporary directory path (not created), removed at the end.</summary>
    public string Dir(string prefix = "entice-test-") => _dirs.New(prefix);

    public async ValueTask DisposeAsync()
    {
        foreach (var c in _clients)
            await c.DisposeAsync();
        foreach (var s in _servers)
            await s.Terminate();
        _dirs.Dispose();
    }
}
