using System.CommandLine;
using System.CommandLine.Parsing;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Akka.Actor;
using Entice.Config;
using Entice.Discovery;
using Entice.Logging;
using Entice.Server;
using Entice.Server.Cluster;
using Serilog;
using Serilog.Events;
using Entice.Server.Store;

const int UsageError = 2;
var hostOption = new Option<string?>("--host") { Description = "Address to listen on (default from hocon/server.conf: 0.0.0.0, every interface)" };
var portOption = new Option<int?>("--port") { Description = "TCP port (default 42000; 0 picks a free port)" };
portOption.Validators.Add(CheckPort);
var dataDirOption = new Option<string?>("--data-dir") { Description = "Where rooms remember members and keep messages for those away (default: ~/.local/share/entice/server; a temporary one with --port 0)" };
var configOption = new Option<string?>("--config") { Description = "A HOCON file layered over hocon/server.conf" };
var clusterPortOption = new Option<int?>("--cluster-port") { Description = "Join other server nodes as one relay: the port for node-to-node traffic (hocon/cluster.conf)" };
clusterPortOption.Validators.Add(CheckPort);
var seedNodesOption = new Option<string?>("--seed-nodes") { Description = "Cluster nodes to join, HOST:PORT[,HOST:PORT...] (their cluster ports); none: start a new cluster" };
var clusterHostOption = new Option<string?>("--cluster-host") { Description = "Address other nodes reach this one at (default 127.0.0.1; use the LAN address across machines)" };
var noDiscoveryOption = new Option<bool>("--no-discovery") { Description = "Do not announce this server on the local network (multicast DNS, _entice._tcp); also entice.server.discovery.enabled = off" };
var logLevelOption = new Option<string?>("--log-level") { Description = "Verbose, Debug, Information (default), Warning, Error" };
logLevelOption.Validators.Add(r =>
{
    // Names only: Enum.TryParse would take "7" too.
    if (r.Tokens.Count == 1 && r.Tokens[0].Value is var level && !Enum.GetNames<LogEventLevel>().Contains(level, StringComparer.OrdinalIgnoreCase))
        r.AddError($"--log-level {level}: use Verbose, Debug, Information, Warning or Error");
});

var releaseName = new Argument<string>("NAME") { Description = "The name to release" };
var releaseCommand = new Command("release-name", "Release a name: the identity that owns it loses it (and what the server kept for it); anyone may claim it next")
{
    releaseName, dataDirOption, configOption,
};
releaseCommand.SetAction(async parse =>
{
    var name = parse.GetValue(releaseName)!;
    try
    {
        var config = EnticeConfig.Server(parse.GetValue(configOption));
        var settings = ServerSettings.FromConfig(config);
        var postgres = Environment.GetEnvironmentVariable("ENTICE_POSTGRES") is { Length: > 0 } pg ? pg : ClusterSettings.FromConfig(EnticeConfig.Cluster(parse.GetValue(configOption))).Postgres;
        var dataDir = parse.GetValue(dataDirOption) ?? (settings.DataDir.Length > 0 ? settings.DataDir : ServerSettings.DefaultDataDir());
        using var store = postgres.Length > 0 ? OfflineStore.OpenPostgres(postgres) : OfflineStore.Open(dataDir);
        var released = store.ReleaseOwnedName(name);
        await Console.Out.WriteLineAsync(released ? $"released {name}: anyone may claim it now" : $"{name} is not owned by anyone");
        return released ? 0 : 1;
    }
    catch (Exception ex) when (ex is not OutOfMemoryException)
    {
        await Console.Error.WriteLineAsync($"entice-server: cannot release {name}: {OneLine(ex)}");
        return UsageError;
    }
});

var root = new RootCommand("Entice relay server: routes end-to-end encrypted chat it cannot read.")
{
    hostOption, portOption, dataDirOption, clusterPortOption, seedNodesOption, clusterHostOption, configOption, noDiscoveryOption, logLevelOption, releaseCommand,
};
root.SetAction(async (parse, cancel) =>
{
    Akka.Configuration.Config config;
    ServerSettings settings;
    ServerDiscoverySettings discovery;
    try
    {
        var file = parse.GetValue(configOption);
        try
        {
            config = EnticeConfig.Server(file);
        }
        catch (Exception ex) when (ex is not (OutOfMemoryException or IOException))
        {
            throw new FormatException($"not a valid HOCON file ({OneLine(ex)})", ex);
        }
        if (file is not null)
        {
            // A typo or a setting that no longer exists would otherwise leave the default in force without a word.
            var unknown = UnknownSettings.In(EnticeConfig.ParseFile(file), EnticeConfig.Defaults("server.conf"), EnticeConfig.Defaults("cluster.conf"));
            foreach (var line in UnknownSettings.Lines("entice-server", file, unknown, "hocon/server.conf and hocon/cluster.conf"))
                await Console.Error.WriteLineAsync(line);
        }
        _ = config.Root; // parsing is lazy in places: fail here, naming the file
        settings = ServerSettings.FromConfig(config);
        discovery = ServerDiscoverySettings.FromConfig(config);
        if (parse.GetValue(noDiscoveryOption))
            discovery = discovery with { Enabled = false };
        var cluster = ClusterSettings.FromConfig(EnticeConfig.Cluster(file));
        cluster = (cluster with
        {
            Port = parse.GetValue(clusterPortOption) ?? cluster.Port,
            Host = parse.GetValue(clusterHostOption) ?? cluster.Host,
            Postgres = Environment.GetEnvironmentVariable("ENTICE_POSTGRES") is { Length: > 0 } postgres ? postgres : cluster.Postgres,
            SeedNodes = parse.GetValue(seedNodesOption)?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) ?? cluster.SeedNodes,
            Tls = cluster.Tls.WithEnvironment(),
        }).Decide().Secure();
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
    catch (Exception ex) when (ex is not OutOfMemoryException)
    {
        // A bad file or value: one line (the parser's own message), never a stack trace.
        await Console.Error.WriteLineAsync($"entice-server: {(parse.GetValue(configOption) is { } f && ex is not ClusterTlsException ? $"{f}: bad configuration: " : "")}{OneLine(ex)}");
        return UsageError;
    }
    // Nodes with stores of their own would each think a name free and keep messages where the others
    // cannot find them: joining others requires the shared store.
    if (settings.Cluster.SeedNodes.Count > 0 && settings.Cluster.Postgres.Length == 0)
    {
        await Console.Error.WriteLineAsync("entice-server: joining a cluster needs the store all nodes share: set ENTICE_POSTGRES (or entice.cluster.postgres) to a PostgreSQL connection string");
        return 2;
    }
    if (settings.Port is < 0 or > 65535)
    {
        await Console.Error.WriteLineAsync($"entice-server: port {settings.Port} is not a TCP port (0-65535)");
        return UsageError;
    }
    // The store is checked before anything starts: a data directory that is a file, read-only or
    // otherwise unusable is one line now, not an actor failing later.
    if (settings.Cluster.Postgres.Length == 0 && !settings.UsesThrowawayDataDir)
    {
        var dir = settings.DataDir.Length > 0 ? settings.DataDir : ServerSettings.DefaultDataDir();
        if (DataDirProblem(dir) is { } problem)
        {
            await Console.Error.WriteLineAsync($"entice-server: data directory {dir}: {problem}");
            return UsageError;
        }
    }
    var debug = EnticeLogging.ParseLevel(parse.GetValue(logLevelOption), LogEventLevel.Information) <= LogEventLevel.Debug;
    if (parse.GetValue(logLevelOption) is { } chosen)
        config = Akka.Configuration.ConfigurationFactory.ParseString($"akka.loglevel = {EnticeLogging.AkkaLevel(EnticeLogging.ParseLevel(chosen, LogEventLevel.Information))}").WithFallback(config);

    // Until the server listens, a failure is told in one line of ours (Akka's own bind errors would be a
    // second and third); stack traces only at Debug.
    var listening = false;
    Log.Logger = EnticeLogging.Base(EnticeLogging.ParseLevel(parse.GetValue(logLevelOption), LogEventLevel.Information))
        .Filter.ByExcluding(_ => !listening && !debug)
        .WriteTo.Console(outputTemplate: debug ? EnticeLogging.Template : "{Timestamp:HH:mm:ss.fff} {Level:u3} {Message:lj}{NewLine}")
        .CreateLogger();
    try
    {
        using var system = settings.Cluster.Enabled ? ClusterNode.CreateSystem(settings.Cluster, config) : ActorSystem.Create(ClusterSettings.SystemName, config);
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
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            await Console.Error.WriteLineAsync($"entice-server: {(debug ? ex.ToString() : OneLine(ex))}");
            await system.Terminate();
            return UsageError;
        }

        listening = true;
        Console.WriteLine($"Listening on {started.Endpoint}");
        if (settings.Cluster.Enabled)
            Console.WriteLine($"Cluster node {Akka.Cluster.Cluster.Get(system).SelfAddress} (seed nodes: {(settings.Cluster.SeedNodes.Count == 0 ? "none, a new cluster" : string.Join(", ", settings.Cluster.SeedNodes))})");
        // The key clients authenticate the relay by (issue 13): spaced to read out and compare by voice,
        // and in the --server lines as one word to paste (a client given it refuses any other key).
        Console.WriteLine($"Server key fingerprint: {started.Fingerprint}");
        var lans = LanAddresses(started.Endpoint).ToList();
        foreach (var lan in lans)
            Console.WriteLine($"Clients on other machines: --server {lan}@{started.Fingerprint.ToCompactString()}");
        if (lans.Count == 0)
            Console.WriteLine($"Clients: --server {new Entice.Channels.ServerTarget(new DnsEndPoint(started.Endpoint.Address.ToString(), started.Endpoint.Port), started.Fingerprint)}");
        Console.WriteLine(StartDiscovery(system, discovery, started.Endpoint, started.Fingerprint));
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
var parsed = root.Parse(args);
if (parsed.Errors.Count > 0)
{
    // Usage errors: one line each (the first is usually the whole story), exit 2.
    await Console.Error.WriteLineAsync($"entice-server: {parsed.Errors[0].Message} (--help lists the options)");
    return UsageError;
}
try
{
    return await parsed.InvokeAsync();
}
catch (Exception ex) when (ex is not OutOfMemoryException)
{
    var debug = parsed.GetValue(logLevelOption) is { } level && EnticeLogging.ParseLevel(level, LogEventLevel.Information) <= LogEventLevel.Debug;
    await Console.Error.WriteLineAsync($"entice-server: {(debug ? ex.ToString() : OneLine(ex))}");
    return UsageError;
}

static void CheckPort(OptionResult result)
{
    // Not a number at all: the parser reports that itself.
    if (result.Tokens.Count == 1 && int.TryParse(result.Tokens[0].Value, out var port) && port is < 0 or > 65535)
        result.AddError($"{result.Option.Name} {port}: a TCP port is 0-65535");
}

// Discovery (issue 14): announces the relay with DNS-SD over multicast DNS on the interfaces the
// listener serves, as /user/discovery; withdrawn (TTL 0) when the server shuts down. Returns the line
// that says where it is announced, or why not.
static string StartDiscovery(ActorSystem system, ServerDiscoverySettings discovery, IPEndPoint bound, Entice.Channels.ServerFingerprint fingerprint)
{
    if (!discovery.Enabled)
        return "Discovery: off (entice.server.discovery.enabled or --no-discovery)";
    var choice = AnnouncedInterfaces.Select(bound.Address, AnnouncedInterfaces.Local());
    if (!choice.Announce)
        return $"Discovery: off, {choice.Why}";
    // fp=: the channel key's fingerprint; a client that picks this relay requires that key.
    var announcement = new Announcement(discovery.EffectiveInstanceName, ServiceNames.HostLabel(Environment.MachineName), bound.Port,
        choice.Addresses, Entice.Wire.ProtocolVersion.Current, fingerprint);
    var announcer = system.ActorOf(DiscoveryAnnouncer.Props(announcement, choice.Interfaces, discovery.AnswersPerSecond), DiscoveryAnnouncer.ActorName);
    CoordinatedShutdown.Get(system).AddTask(CoordinatedShutdown.PhaseServiceUnbind, "entice-discovery-goodbye", async () =>
    {
        await announcer.GracefulStop(TimeSpan.FromSeconds(1)).ConfigureAwait(false);
        return Akka.Done.Instance;
    });
    return $"Discovery: announcing \"{announcement.InstanceLabel}\" (_entice._tcp) on {string.Join(", ", choice.Interfaces)}";
}

// The innermost message, on one line: what went wrong, not where.
static string OneLine(Exception ex)
{
    while (ex.InnerException is not null && ex is System.Reflection.TargetInvocationException or AggregateException or TypeInitializationException)
        ex = ex.InnerException;
    return ex.Message.ReplaceLineEndings(" ");
}

// Whether the offline store can live in dir: a directory (created if missing) where entice.db can be
// opened for writing.
static string? DataDirProblem(string dir)
{
    if (File.Exists(dir))
        return "is a file, not a directory";
    try
    {
        Directory.CreateDirectory(dir);
        var probe = Path.Combine(dir, $".entice-write-test-{Environment.ProcessId}");
        File.WriteAllBytes(probe, []);
        File.Delete(probe);
        using (OfflineStore.Open(dir))
        {
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        return null;
    }
    catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Data.Common.DbException)
    {
        return ex is UnauthorizedAccessException ? "not writable (permission denied)" : OneLine(ex);
    }
}

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
