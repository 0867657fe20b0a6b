using System.CommandLine;
using System.Text;
using Akka.Actor;
using Entice.Client;
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

var nameOption = new Option<string>("--name") { Description = "Your name on the server", Required = true };
var serverOption = new Option<string?>("--server") { Description = "HOST:PORT of the relay, several comma-separated (default 127.0.0.1:42000)" };
var roomOption = new Option<string?>("--room") { Description = "Room to join (default lobby)" };
var keyDirOption = new Option<string?>("--key-dir") { Description = "Where your keys live (default: a folder per name under your data directory)" };
var jsonOption = new Option<bool>("--json") { Description = "One JSON event per line on stdout, for scripts" };
var jsonRpcOption = new Option<bool>("--json-rpc") { Description = "JSON-RPC 2.0 on stdin/stdout, one object per line, for bots and UIs (docs/JSON-RPC.md)" };
var plainOption = new Option<bool>("--plain") { Description = "Line mode: read lines from stdin, print lines (the default when stdin or stdout is not a terminal)" };
var configOption = new Option<string?>("--config") { Description = "A HOCON file layered over hocon/client.conf" };
var passphraseFileOption = new Option<string?>("--passphrase-file") { Description = "Read the key directory's passphrase from the first line of FILE; a new key directory given a passphrase is protected by it (at a terminal you are asked instead)" };
var logLevelOption = new Option<string?>("--log-level") { Description = "Diagnostics: Warning (default), Information, Debug; on stderr, or in KEY-DIR/client.log while the terminal UI runs" };

var root = new RootCommand("Entice chat client: end-to-end encrypted chat through an Entice relay.")
{
    nameOption, serverOption, roomOption, keyDirOption, jsonOption, jsonRpcOption, plainOption, configOption, passphraseFileOption, logLevelOption,
};
root.SetAction(async (parse, cancel) =>
{
    // Names and rooms are compared in canonical form (NFKC, lower case): "Alice" is "alice".
    var name = Names.Canonical(parse.GetValue(nameOption)!);
    if (NameProfile.Problem(name) is { } nameProblem)
        return Fail($"not a valid name: {nameProblem}");

    Akka.Configuration.Config config;
    ClientSettings settings;
    try
    {
        config = EnticeConfig.Client(parse.GetValue(configOption));
        settings = ClientSettings.FromConfig(config, name);
        var server = parse.GetValue(serverOption);
        if (server is not null)
            settings = settings with { Servers = ClientSettings.ParseServers(server) };
        settings = settings with { Room = Names.Canonical(parse.GetValue(roomOption) ?? settings.Room) };
    }
    catch (Exception ex) when (ex is IOException or FormatException or Akka.Configuration.ConfigurationException)
    {
        return Fail(ex.Message);
    }
    if (NameProfile.Problem(settings.Room, room: true) is { } roomProblem)
        return Fail($"not a valid room name: {roomProblem}");

    var keyDirPath = parse.GetValue(keyDirOption) is { Length: > 0 } k ? k
        : config.GetString("entice.client.key-dir", "") is { Length: > 0 } c ? c
        : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), "entice", "keys", name);

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
    var tui = !json && !parse.GetValue(jsonRpcOption) && !parse.GetValue(plainOption) && !Console.IsInputRedirected && !Console.IsOutputRedirected;
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
        if (tui)
            return await TuiProgram.RunAsync(config, settings, name, keys);
        // --json-rpc (issue 15): the JSON-RPC session is the view; stdin/stdout its transport.
        if (parse.GetValue(jsonRpcOption))
            return await Entice.ClientNode.Ui.JsonRpc.JsonRpcProgram.RunAsync(config, settings, name, keys);

        using var system = ActorSystem.Create("entice-client", config);
        var exit = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        IChatView view = json ? new JsonChatView(Console.Out) : new LineChatView(Console.Out);
        // The root owns and supervises the view, crypto and chat actors, and takes the user's lines.
        var client = system.ActorOf(ClientRoot.Props(settings, CryptoAgent.Props(name, keys, settings.MaxSkip),
            ViewActor.Props(view, exit), exit), "client");

        Console.CancelKeyPress += (_, e) => { e.Cancel = true; client.Tell(new ChatClient.EndOfInput()); };
        // Reading stdin blocks; this loop only turns lines into messages for the chat actor.
        _ = Task.Factory.StartNew(() =>
        {
            while (Console.In.ReadLine() is { } line)
                client.Tell(new ChatClient.UserLine(line));
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
return await root.Parse(args).InvokeAsync();

// The first line of FILE, without its line ending; null when there is none.
static string? ReadPassphraseFile(string file)
{
    using var reader = new StreamReader(file, new UTF8Encoding(false, throwOnInvalidBytes: true));
    var line = reader.ReadLine();
    return string.IsNullOrEmpty(line) ? null : line;
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
