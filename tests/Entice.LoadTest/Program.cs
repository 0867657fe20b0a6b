using System.CommandLine;
using System.Net;
using Entice.Channels;
using Entice.LoadTest;

var serverOption = new Option<string>("--server") { Description = "HOST:PORT[@FINGERPRINT] of the relay (loopback; with a fingerprint, its channel key is required); several, comma-separated (the nodes of a cluster): connections spread round-robin", DefaultValueFactory = _ => "127.0.0.1:42000" };
var plainOption = new Option<bool>("--plain") { Description = "Plaintext frames, no channel: for a server with entice.server.channel.enabled = off" };
var suiteOption = new Option<string>("--suite") { Description = "Channel cipher suite: auto (what the real client picks: aesgcm where this CPU runs it, chachapoly otherwise), aesgcm or chachapoly", DefaultValueFactory = _ => "auto" };
var connectOnlyOption = new Option<bool>("--connect-only") { Description = "Only connect, run the channel handshake and wait for the server's first message, then close: connects/s (-c connections, --handshake-parallelism at once)" };
var targetOption = new Option<string>("--target") { Description = "entice (default) or irc", DefaultValueFactory = _ => "entice" };
var connectionsOption = new Option<int>("--connections", "-c") { Description = "Connections (C)", DefaultValueFactory = _ => 10 };
var sendersOption = new Option<int?>("--senders", "-s") { Description = "Connections that send (S, default C)" };
var messagesOption = new Option<int>("--messages", "-m") { Description = "Envelopes per sender (M)", DefaultValueFactory = _ => 10_000 };
var bytesOption = new Option<int>("--bytes", "-b") { Description = "Payload bytes per envelope (B, at least 18)", DefaultValueFactory = _ => 256 };
var windowOption = new Option<int>("--window") { Description = "Envelopes in flight per sender at full speed", DefaultValueFactory = _ => 64 };
var rateOption = new Option<double>("--rate") { Description = "Paced mode: envelopes/s in total (0: full speed)", DefaultValueFactory = _ => 0 };
var roomsOption = new Option<int?>("--rooms") { Description = "Rooms (connections spread round-robin); idle mode default: 10 members a room" };
var durationOption = new Option<double>("--duration") { Description = "Upper bound on the sending phase, seconds", DefaultValueFactory = _ => 30 };
var drainOption = new Option<double>("--drain-timeout") { Description = "Seconds to wait for in-flight envelopes after sending", DefaultValueFactory = _ => 10 };
var pidOption = new Option<int?>("--server-pid") { Description = "Server process id: report its CPU% and RSS from /proc" };
var idleOption = new Option<int>("--idle") { Description = "Idle mode: open this many connections that handshake, join and stay silent", DefaultValueFactory = _ => 0 };
var settleOption = new Option<double>("--idle-settle") { Description = "Idle mode: seconds to wait before reading the server's RSS", DefaultValueFactory = _ => 3 };
var parallelOption = new Option<int>("--handshake-parallelism") { Description = "Handshakes in progress at once", DefaultValueFactory = _ => 64 };
var jsonOption = new Option<bool>("--json") { Description = "Print one JSON object instead of text" };
var labelOption = new Option<string?>("--label") { Description = "A label copied into the report" };

var root = new RootCommand("Entice load tool: C connections, S senders, M envelopes of B bytes; measures deliveries/s and latency.")
{
    serverOption, targetOption, connectionsOption, sendersOption, messagesOption, bytesOption, windowOption, rateOption,
    roomsOption, durationOption, drainOption, pidOption, idleOption, settleOption, parallelOption, jsonOption, labelOption,
    plainOption, connectOnlyOption, suiteOption,
};
root.SetAction(async (parse, cancel) =>
{
    var endpoints = new List<IPEndPoint>();
    var keys = new List<ServerFingerprint?>();
    foreach (var part in parse.GetValue(serverOption)!.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
    {
        var at = part.IndexOf('@', StringComparison.Ordinal);
        ServerFingerprint? key = null;
        if (!IPEndPoint.TryParse(at < 0 ? part : part[..at], out var endpoint)
            || (at >= 0 && !ServerFingerprint.TryParse(part[(at + 1)..], out key, out _)))
        {
            await Console.Error.WriteLineAsync($"entice-loadtest: '{part}' is not HOST:PORT[@FINGERPRINT]");
            return 2;
        }
        endpoints.Add(endpoint);
        keys.Add(key);
    }
    if (endpoints.Count == 0 || endpoints.Any(e => !IPAddress.IsLoopback(e.Address)))
    {
        await Console.Error.WriteLineAsync("entice-loadtest: only loopback servers are allowed");
        return 2;
    }
    var target = parse.GetValue(targetOption)!.ToLowerInvariant();
    if (target is not ("entice" or "irc"))
    {
        await Console.Error.WriteLineAsync("entice-loadtest: --target is entice or irc");
        return 2;
    }
    ChannelSuite? suite;
    try
    {
        suite = ChannelSettings.ParseClientSuite(parse.GetValue(suiteOption)!);
        _ = new ChannelSettings { Suite = suite };
    }
    catch (FormatException e)
    {
        await Console.Error.WriteLineAsync($"entice-loadtest: --suite: {e.Message}");
        return 2;
    }
    var idle = parse.GetValue(idleOption);
    var settings = new LoadSettings
    {
        Servers = endpoints,
        Keys = keys,
        Channel = parse.GetValue(plainOption) ? null : new ChannelSettings { MaxFrameSize = ChannelLink.Unit + 4, Suite = suite },
        ConnectOnly = parse.GetValue(connectOnlyOption),
        Target = target,
        Connections = idle > 0 ? idle : parse.GetValue(connectionsOption),
        Messages = parse.GetValue(messagesOption),
        Bytes = Math.Max(18, parse.GetValue(bytesOption)),
        Window = Math.Max(1, parse.GetValue(windowOption)),
        Rate = parse.GetValue(rateOption),
        Duration = TimeSpan.FromSeconds(parse.GetValue(durationOption)),
        Drain = TimeSpan.FromSeconds(parse.GetValue(drainOption)),
        ServerPid = parse.GetValue(pidOption),
        Idle = idle > 0,
        IdleSettle = TimeSpan.FromSeconds(parse.GetValue(settleOption)),
        HandshakeParallelism = Math.Max(1, parse.GetValue(parallelOption)),
        Label = parse.GetValue(labelOption),
    };
    settings.Senders = idle > 0 ? 0 : Math.Clamp(parse.GetValue(sendersOption) ?? settings.Connections, 0, settings.Connections);
    settings.Rooms = Math.Clamp(parse.GetValue(roomsOption) ?? (idle > 0 ? (settings.Connections + 9) / 10 : 1), 1, settings.Connections);

    var report = await new LoadRun(settings).RunAsync(cancel);
    Console.WriteLine(parse.GetValue(jsonOption) ? report.ToJson() : report.ToText());
    return report.Ok ? 0 : 1;
});
return await root.Parse(args).InvokeAsync();
