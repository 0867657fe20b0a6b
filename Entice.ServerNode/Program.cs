using System.CommandLine;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Akka.Actor;
using Entice.Config;
using Entice.Logging;
using Entice.Server;
using Entice.Server.Cluster;
using Serilog;
using Serilog.Events;

var hostOption = new Option<string?>("--host") { Description = "Address to listen on (default from hocon/server.conf: 0.0.0.0, every interface)" };
var portOption = new Option<int?>("--port") { Description = "TCP port (default 42000; 0 picks a free port)" };
var dataDirOption = new Option<string?>("--data-dir") { Description = "Where rooms remember members and keep messages for those away (default: ~/.local/share/entice/server; a temporary one with --port 0)" };
var configOption = new Option<string?>("--config") { Description = "A HOCON file layered over hocon/server.conf" };
var clusterPortOption = new Option<int?>("--cluster-port") { Description = "Join other server nodes as one relay: the port for node-to-node traffic (hocon/cluster.conf)" };
var seedNodesOption = new Option<string?>("--seed-nodes") { Description = "Cluster nodes to join, HOST:PORT[,HOST:PORT...] (their cluster ports); none: start a new cluster" };
var clusterHostOption = new Option<string?>("--cluster-host") { Description = "Address other nodes reach this one at (default 127.0.0.1; use the LAN address across machines)" };
var logLevelOption = new Option<string?>("--log-level") { Description = "Verbose, Debug, Information (default), Warning, Error" };

var root = new RootCommand("Entice relay server: routes end-to-end encrypted chat it cannot read.")
{
    hostOption, portOption, dataDirOption, clusterPortOption, seedNodesOption, clusterHostOption, configOption, logLevelOption,
};
root.SetAction(async (parse, cancel) =>
{
    Akka.Configuration.Config config;
    ServerSettings settings;
    try
    {
        var file = parse.GetValue(configOption);
        config = EnticeConfig.Server(file);
        settings = ServerSettings.FromConfig(config);
        var cluster = ClusterSettings.FromConfig(EnticeConfig.Cluster(file));
        cluster = (cluster with
        {
            Port = parse.GetValue(clusterPortOption) ?? cluster.Port,
            Host = parse.GetValue(clusterHostOption) ?? cluster.Host,
            Postgres = Environment.GetEnvironmentVariable("ENTICE_POSTGRES") is { Length: > 0 } postgres ? postgres : cluster.Postgres,
            SeedNodes = parse.GetValue(seedNodesOption)?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) ?? cluster.SeedNodes,
        }).Decide();
        if (cluster.Enabled)
            config = cluster.ToAkkaConfig().WithFallback(EnticeConfig.Cluster(file)).WithFallback(config);
        settings = settings with
        {
            Host = parse.GetValue(hostOption) ?? settings.Host,
            Port = parse.GetValue(portOption) ?? settings.Port,
            DataDir = parse.GetValue(dataDirOption) ?? settings.DataDir,
            Cluster = cluster,
        };
    }
    catch (Exception ex) when (ex is IOException or FormatException or Akka.Configuration.ConfigurationException)
    {
        await Console.Error.WriteLineAsync($"entice-server: {ex.Message}");
        return 2;
    }
    // Nodes with stores of their own would each think a name free and keep messages where the others
    // cannot find them: joining others requires the shared store.
    if (settings.Cluster.SeedNodes.Count > 0 && settings.Cluster.Postgres.Length == 0)
    {
        await Console.Error.WriteLineAsync("entice-server: joining a cluster needs the store all nodes share: set ENTICE_POSTGRES (or entice.cluster.postgres) to a PostgreSQL connection string");
        return 2;
    }

    Log.Logger = EnticeLogging.Base(EnticeLogging.ParseLevel(parse.GetValue(logLevelOption), LogEventLevel.Information))
        .WriteTo.Console(outputTemplate: EnticeLogging.Template)
        .CreateLogger();
    try
    {
        using var system = ActorSystem.Create(ClusterSettings.SystemName, config);
        if (settings.Cluster.Enabled)
        {
            // Scripts wait for this line: until then the node is not part of the cluster.
            Akka.Cluster.Cluster.Get(system).RegisterOnMemberUp(() =>
                Console.WriteLine($"Cluster member up: {Akka.Cluster.Cluster.Get(system).SelfAddress}"));
            ClusterNode.Join(system, settings.Cluster);
        }
        RelayServer.Started started;
        try
        {
            started = await RelayServer.StartAsync(system, settings);
        }
        catch (InvalidOperationException ex)
        {
            await Console.Error.WriteLineAsync($"entice-server: {ex.Message}");
            await system.Terminate();
            return 1;
        }

        Console.WriteLine($"Listening on {started.Endpoint}");
        if (settings.Cluster.Enabled)
            Console.WriteLine($"Cluster node {Akka.Cluster.Cluster.Get(system).SelfAddress} (seed nodes: {(settings.Cluster.SeedNodes.Count == 0 ? "none, a new cluster" : string.Join(", ", settings.Cluster.SeedNodes))})");
        foreach (var lan in LanAddresses(started.Endpoint))
            Console.WriteLine($"Clients on other machines: --server {lan}");
        Console.Out.Flush();

        using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(
            System.Runtime.InteropServices.PosixSignal.SIGTERM, ctx => { ctx.Cancel = true; _ = CoordinatedShutdown.Get(system).Run(CoordinatedShutdown.ClrExitReason.Instance); });
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; _ = CoordinatedShutdown.Get(system).Run(CoordinatedShutdown.ClrExitReason.Instance); };
        await system.WhenTerminated;
        Log.Information("Server stopped");
        return 0;
    }
    finally
    {
        await Log.CloseAndFlushAsync();
    }
});
return await root.Parse(args).InvokeAsync();

// The addresses a LAN or hotspot peer would use: every IPv4 address of an interface that is up,
// when listening on all interfaces. Read from the local interface table; nothing is sent anywhere.
static IEnumerable<string> LanAddresses(IPEndPoint bound)
{
    if (!bound.Address.Equals(IPAddress.Any) && !bound.Address.Equals(IPAddress.IPv6Any))
        return [];
    return NetworkInterface.GetAllNetworkInterfaces()
        .Where(n => n.OperationalStatus == OperationalStatus.Up && n.NetworkInterfaceType != NetworkInterfaceType.Loopback)
        .SelectMany(n => n.GetIPProperties().UnicastAddresses)
        .Where(a => a.Address.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a.Address))
        .Select(a => $"{a.Address}:{bound.Port}")
        .Distinct()
        .ToList();
}
