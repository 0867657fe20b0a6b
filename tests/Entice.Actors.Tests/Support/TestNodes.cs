using System.Net;
using Akka.Actor;
using Entice.Server;

namespace Entice.Tests.Support;

/// <summary>
/// What one spec started (clients, server actor systems, cluster nodes) and the databases and directories
/// it used, all stopped and removed together when it ends: clients first, then servers, then the
/// databases, then the directories.
/// </summary>
internal sealed class TestNodes : IAsyncDisposable
{
    private readonly List<TestClient> _clients = [];
    private readonly List<ActorSystem> _servers = [];
    private readonly List<PostgresTestDatabase> _databases = [];
    private readonly TempDirs _dirs = new();

    /// <summary>Starts a client (see <see cref="LocalNodes.StartClient"/>) that is disposed at the end.</summary>
    public TestClient Client(string name, IPEndPoint server, string? keyDir = null, int[]? morePorts = null, string? config = null,
        Func<DateTimeOffset>? clock = null, TextWriter? lines = null, string room = "lobby",
        Func<Entice.Client.ClientSettings, Entice.Client.ClientSettings>? adjust = null, Entice.Client.Memory.ClientMemory? memory = null,
        Func<Entice.ClientNode.Ui.Views.IChatView, Entice.ClientNode.Ui.Views.IChatView>? wrapView = null)
    {
        var client = LocalNodes.StartClient(name, server, room: room, keyDir: keyDir, morePorts: morePorts, config: config, clock: clock, lines: lines,
            adjust: adjust, memory: memory, wrapView: wrapView);
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

    /// <summary>A relay node (see <see cref="LocalCluster.StartNodeAsync"/>) joined to <paramref name="seed"/>'s cluster, or a new one; terminated at the end.</summary>
    public async Task<RelayNode> ClusterNodeAsync(string store, RelayNode? seed = null, string config = "")
    {
        var node = await LocalCluster.StartNodeAsync(store, seed, config: config);
        _servers.Add(node.System);
        return node;
    }

    /// <summary>A fresh PostgreSQL database of its own (its connection string), dropped at the end once the servers using it stopped.</summary>
    public string Database()
    {
        var database = PostgresServer.CreateDatabase();
        _databases.Add(database);
        return database.ConnectionString;
    }

    /// <summary>A fresh temporary directory path (not created), removed at the end.</summary>
    public string Dir(string prefix = "entice-test-") => _dirs.New(prefix);

    public async ValueTask DisposeAsync()
    {
        foreach (var c in _clients)
            await c.DisposeAsync();
        foreach (var s in _servers)
            await s.Terminate();
        foreach (var d in _databases)
            d.Dispose();
        _dirs.Dispose();
    }
}
