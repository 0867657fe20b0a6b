using System.CommandLine;
using System.Text;
using Akka.Actor;
using Entice.Client;
using Entice.ClientNode.Discovery;
using Entice.Discovery;
using Entice.Client.Memory;
using Entice.Config;
using Entice.Logging;
using Entice.Wire;
using Serilog;
using Serilog.Events;
using Entice.Client.Keys;
using Entice.ClientNode.Ui.Tui;
using Entice.ClientNode.Ui.Views;
using Entice.Crypto.Primitives;
using Entice.Crypto.Storage;

var nameOption = new Option<string?>("--name") { Description = "Your name on the server (default: the one used last; asked on a first start at a terminal)" };
var serverOption = new Option<string?>("--server") { Description = "HOST:PORT[@FINGERPRINT] of the relay, several comma-separated (default: the one used last, else look for one on the local network). With @FINGERPRINT (as the server prints it) that key is required and pinned, also to accept a changed key deliberately" };
var listServersOption = new Option<bool>("--list-servers") { Description = "Look for servers on the local network, print them (address:port, key fingerprint, name) and exit: 0 when some answered, 1 when none" };
var roomOption = new Option<string?>("--room") { Description = "Room to join (default lobby)" };
var keyDirOption = new Option<string?>("--key-dir") { Description = "Where your keys live (default: a folder per name under your data directory; with no --name, the one used last)" };
var jsonOption = new Option<bool>("--json") { Description = "One JSON event per line on stdout, for scripts" };
var jsonRpcOption = new Option<bool>("--json-rpc") { Description = "JSON-RPC 2.0 on stdin/stdout, one object per line, for bots and UIs (docs/JSON-RPC.md)" };
var webOption = new Option<bool>("--web") { Description = "A web page for this client on 127.0.0.1 (a free port): prints its one-time address and opens the browser" };
var noOpenOption = new Option<bool>("--no-open") { Description = "With --web: print the address, do not open a browser" };
var plainOption = new Option<bool>("--plain") { Description = "Line mode: read lines from stdin, print lines (the default when stdin or stdout is not a terminal)" };
var configOption = new Option<string?>("--config") { Description = "A HOCON file layered over ~/.config/entice/client.conf and hocon/client.conf" };
var onceOption = new Option<bool>("--once") { Description = "Leave every room for good when the client ends (end of input, Ctrl+C, SIGTERM): for scripts and bots" };
var passphraseFileOption = new Option<string?>("--passphrase-file") { Description = "Read the key directory's passphrase from the first line of FILE; a new key directory given a passphrase is protected by it (at a terminal you are asked instead)" };
var logLevelOption = new Option<string?>("--log-level") { Description = "Diagnostics: Warning (default), Information, Debug; on stderr, or in KEY-DIR/client.log while the terminal UI runs" };

var root = new RootCommand("Entice chat client: end-to-end encrypted chat through an Entice relay.")
{
    nameOption, serverOption, roomOption, keyDirOption, jsonOption, jsonRpcOption, plainOption, configOption, passphraseFileOption, logLevelOption, onceOption,
    listServersOption, webOption, noOpenOption,
};
root.SetAction(async (parse, cancel) =>
{
    // --- Remembered settings (issue 14): config layers, then the name and key directory ---
    Akka.Configuration.Config config;
    UserConfig.Layers layers;
    try
    {
        layers = UserConfig.Load(parse.GetValue(configOption));
        config = layers.Full;
        foreach (var (file, paths) in layers.Unknown)
            foreach (var line in UnknownSettings.Lines("entice-client", file, paths, "hocon/client.conf"))
                Console.Error.WriteLine(line);
    }
    catch (Exception ex) when (ex is IOException or FormatException or Akka.Configuration.ConfigurationException)
    {
        return Fail(ex.Message);
    }
    var keyDirGiven = parse.GetValue(keyDirOption) is { Length: > 0 } k ? k
        : config.GetString("entice.client.key-dir", "") is { Length: > 0 } c ? c : null;
    string? givenName = parse.GetValue(nameOption);
    string? rememberedKeyDir = null;
    ClientMemory? memory = null;
    if (givenName is null)
    {
        // No name: start where the client left off, or ask (only a person at a terminal can answer).
        try
        {
            if (RememberedStart.FromLastUsed(keyDirGiven) is var (dir, remembered))
                (rememberedKeyDir, memory, givenName) = (dir, remembered, remembered.Name);
        }
        catch (ClientMemory.DamagedException ex)
        {
            return Fail(ex.Message);
        }
        if (givenName is null && (Console.IsInputRedirected || parse.GetValue(jsonOption)))
            return Fail("no name: give --name NAME on the first start (nothing remembered yet, and stdin is not a terminal to ask)");
        givenName ??= AskName();
        if (givenName is null)
            return Fail("no name given");
    }
    // --- end remembered settings ---

    // Names and rooms are compared in canonical form (NFKC, lower case): "Alice" is "alice".
    var name = Names.Canonical(givenName);
    if (NameProfile.Problem(name) is { } nameProblem)
        return Fail($"not a valid name: {nameProblem}");

    var keyDirPath = keyDirGiven ?? rememberedKeyDir ?? ClientPaths.DefaultKeyDir(name);
    IReadOnlyList<string> rooms;
    ClientSettings settings;
    try
    {
        // --- Remembered settings: servers and rooms used last, unless options or config files say ---
        memory ??= ClientMemory.Load(keyDirPath);
        settings = ClientSettings.FromConfig(config, name);
        if (RememberedStart.Servers(layers, memory) is { } rememberedServers)
            settings = settings with { Servers = rememberedServers };
        rooms = RememberedStart.Rooms(parse.GetValue(roomOption), layers, memory, settings.Room);
        settings = settings with { Room = rooms[0], LeaveOnExit = parse.GetValue(onceOption) };
        // --- end remembered settings ---
        var server = parse.GetValue(serverOption);
        if (server is not null)
            settings = settings.WithServers(Entice.Channels.ServerTarget.ParseList(server));
        // Server keys are pinned per address in the key directory (servers.pins); --server HOST:PORT@FINGERPRINT
        // requires that key and, when the pin differs, replaces it: the deliberate way to accept a new server key.
        settings = settings with { PinDirectory = keyDirPath };
    }
    catch (ClientMemory.DamagedException ex)
    {
        return Fail(ex.Message);
    }
    catch (Exception ex) when (ex is IOException or FormatException or Akka.Configuration.ConfigurationException)
    {
        return Fail(ex.Message);
    }
    if (NameProfile.Problem(settings.Room, room: true) is { } roomProblem)
        return Fail($"not a valid room name: {roomProblem}");

    KeyDirectory keys;
    try
    {
        var kind = CryptoAgent.InspectKeyDirectory(keyDirPath);
        string? passphrase;
        if (parse.GetValue(passphraseFileOption) is { } passphraseFile)
        {
            try
            {
                passphrase = ReadPassphraseFile(passphraseFile);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or DecoderFallbackException)
            {
                return Fail($"cannot read the passphrase file {passphraseFile}: {ex.Message}");
            }
            if (passphrase is null)
                return Fail($"the passphrase file {passphraseFile} is empty");
        }
        else if (kind == CryptoAgent.KeyDirectoryKind.Plain)
            passphrase = null;
        else if (Console.IsInputRedirected)
        {
            if (kind == CryptoAgent.KeyDirectoryKind.Protected)
                return Fail($"the key directory {keyDirPath} is protected by a passphrase: give it with --passphrase-file FILE (stdin is not a terminal)");
            passphrase = null;
        }
        else if (kind == CryptoAgent.KeyDirectoryKind.Protected)
        {
            passphrase = Prompt($"Passphrase for {keyDirPath}: ");
            if (passphrase is null)
                return Fail("no passphrase given");
        }
        else
        {
            passphrase = Prompt($"New key directory {keyDirPath}. Passphrase to protect it (empty for none): ");
            if (passphrase is not null && Prompt("Again: ") != passphrase)
                return Fail("the passphrases differ; nothing was created");
        }

        keys = new KeyDirectory(keyDirPath, passphrase);
        // Every file is read now, before anything runs: a damaged one is one line and exit 2, never a
        // stack trace, a new identity or a file overwritten.
        KeyDirectoryCheck.Open(keys, name);
        // --- Remembered settings: this key directory is the one to start from next time ---
        memory = (memory ?? new ClientMemory(name, [], [])) with { Name = name };
        memory = memory.Used(settings.Servers);
        memory.Save(keyDirPath);
        LastUsed.Write(keyDirPath);
        // --- end remembered settings ---
    }
    catch (KeyDirectoryCheck.DamagedFileException ex)
    {
        return Fail(ex.Message);
    }
    catch (CryptoException ex) when (ex.Message.Contains("wrong passphrase", StringComparison.Ordinal))
    {
        return Fail($"{ex.Message.TrimEnd('.')} (in {keyDirPath})");
    }
    catch (Exception ex) when (ex is CryptoException or IOException or UnauthorizedAccessException)
    {
        return Fail($"cannot use the key directory {keyDirPath}: {ex.Message}");
    }

    Console.OutputEncoding = new UTF8Encoding(false);
    var json = parse.GetValue(jsonOption);
    // The terminal UI is the default for a person at a terminal; scripts and pipes get lines or JSON.
    var web = parse.GetValue(webOption);
    var tui = !json && !web && !parse.GetValue(jsonRpcOption) && !parse.GetValue(plainOption) && !Console.IsInputRedirected && !Console.IsOutputRedirected;
    // Discovery (issue 14): no --server and none configured: look for a relay on the local network.
    if (settings.Servers.Count == 0)
    {
        // --json-rpc: the servers found are offered as --json does (a JSON line), before the session starts.
        var mode = json || parse.GetValue(jsonRpcOption) ? ServerChoice.Mode.Json : tui ? ServerChoice.Mode.Tui : ServerChoice.Mode.Plain;
        if (await ServerChoice.ChooseAsync(ClientDiscoverySettings.FromConfig(config), mode, Console.In, Console.Out) is not { } found)
            return 2;
        // The key it announced is required (and pinned), unless a pin for that address says otherwise.
        try
        {
            if (ServerChoice.Target(found, keyDirPath, out var problem) is not { } target)
                return Fail(problem!);
            settings = settings.WithServers([target]);
        }
        catch (CryptoException ex)
        {
            return Fail(ex.Message);
        }
    }
    var level = EnticeLogging.ParseLevel(parse.GetValue(logLevelOption), LogEventLevel.Warning);
    if (tui)
    {
        // Nothing may draw over the screen: diagnostics go to a private, rolling file in the key directory.
        Log.Logger = PrivateLogFile.WriteTo(EnticeLogging.Base(level), Path.Combine(keyDirPath, "client.log")).CreateLogger();
        config = Akka.Configuration.ConfigurationFactory.ParseString("akka.stdout-loglevel = OFF").WithFallback(config);
    }
    else
    {
        Log.Logger = EnticeLogging.Base(level)
            .WriteTo.Console(outputTemplate: EnticeLogging.Template, standardErrorFromLevel: LogEventLevel.Verbose)
            .CreateLogger();
    }
    try
    {
        var keeper = MemoryKeeper.Props(keyDirPath, memory);
        var moreRooms = rooms.Skip(1).ToList();
        if (tui)
            return await TuiProgram.RunAsync(config, settings, name, keys, keeper, moreRooms);
        // --json-rpc (issue 15): the JSON-RPC session is the view; stdin/stdout its transport.
        if (parse.GetValue(jsonRpcOption))
            return await Entice.ClientNode.Ui.JsonRpc.JsonRpcProgram.RunAsync(config, settings, name, keys);
        // --web (issue 15): the same JSON-RPC session, over WebSockets from a page on 127.0.0.1.
        if (web)
            return await Entice.ClientNode.Ui.Web.WebProgram.RunAsync(config, settings, name, keys, keeper, moreRooms, open: !parse.GetValue(noOpenOption));

        using var system = ActorSystem.Create("entice-client", config);
        var exit = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        IChatView view = json ? new JsonChatView(Console.Out) : new LineChatView(Console.Out);
        // Kept history (issue 18): the terminal UI's store; the view side keeps, /search and /forget read it.
        await using var history = new LineHistory(Entice.ClientNode.Ui.Tui.KeptHistoryStart.OpenStore(config, keys), view, Console.Out, json,
            problem => Log.Warning("kept history: {Problem}", problem), settings.Room);
        // The root owns and supervises the view, crypto and chat actors, and takes the user's lines.
        var client = system.ActorOf(ClientRoot.Props(settings, CryptoAgent.Props(name, keys, settings.MaxSkip),
            ViewActor.Props(history.Around(view), exit), exit, keeper), "client");
        // The other rooms remembered: joined once the first one is (commands wait for it).
        foreach (var room in moreRooms)
            client.Tell(new ChatClient.UserLine("/join " + room));

        Console.CancelKeyPress += (_, e) => { e.Cancel = true; client.Tell(new ChatClient.EndOfInput()); };
        // SIGTERM ends like end of input: pending messages delivered, and with --once every room left.
        using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(
            System.Runtime.InteropServices.PosixSignal.SIGTERM, ctx => { ctx.Cancel = true; client.Tell(new ChatClient.EndOfInput()); });
        // Reading stdin blocks; this loop only turns lines into messages for the chat actor.
        _ = Task.Factory.StartNew(() =>
        {
            while (Console.In.ReadLine() is { } line)
            {
                // /search and /forget are answered here (Console.Out is synchronised); the rest goes to the chat actor.
                if (!history.Answer(line))
                    client.Tell(history.Typed(line));
            }
            client.Tell(new ChatClient.EndOfInput());
        }, TaskCreationOptions.LongRunning);

        var code = await exit.Task;
        await system.Terminate();
        return code;
    }
    finally
    {
        await Log.CloseAndFlushAsync();
    }
});
var parsed = root.Parse(args);
// --list-servers needs no name (the rest of the command line is not looked at, --config aside).
if (parsed.GetValue(listServersOption))
{
    try
    {
        return await ServerChoice.ListAsync(ClientDiscoverySettings.FromConfig(EnticeConfig.Client(parsed.GetValue(configOption))), Console.Out);
    }
    catch (Exception ex) when (ex is IOException or FormatException or Akka.Configuration.ConfigurationException)
    {
        return Fail(ex.Message);
    }
}
return await parsed.InvokeAsync();

// The first line of FILE, without its line ending; null when there is none.
static string? ReadPassphraseFile(string file)
{
    using var reader = new StreamReader(file, new UTF8Encoding(false, throwOnInvalidBytes: true));
    var line = reader.ReadLine();
    return string.IsNullOrEmpty(line) ? null : line;
}

// Asks for a name at the terminal (with echo); null at end of input or an empty answer.
static string? AskName()
{
    Console.Error.Write("Your name (first start; remembered from now on): ");
    var line = Console.ReadLine();
    return string.IsNullOrWhiteSpace(line) ? null : line.Trim();
}

// Asks on stderr with no echo; null for an empty answer or end of input.
static string? Prompt(string question)
{
    Console.Error.Write(question);
    var text = new StringBuilder();
    while (true)
    {
        var key = Console.ReadKey(intercept: true);
        if (key.Key == ConsoleKey.Enter)
            break;
        if (key.Key == ConsoleKey.Backspace)
        {
            if (text.Length > 0)
                text.Length--;
            continue;
        }
        if (key.Key == ConsoleKey.D && key.Modifiers.HasFlag(ConsoleModifiers.Control))
            break;
        if (!char.IsControl(key.KeyChar))
            text.Append(key.KeyChar);
    }
    Console.Error.WriteLine();
    return text.Length == 0 ? null : text.ToString();
}

static int Fail(string message)
{
    Console.Error.WriteLine($"entice: {message}");
    return 2;
}
