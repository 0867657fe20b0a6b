using System.Net;
using Akka.Actor;
using Entice.Client;
using Entice.Config;
using Entice.Server;
using Entice.ClientNode.Ui.Views;
using Entice.Client.Keys;
using Entice.Crypto.Storage;

namespace Entice.Tests.Support;

/// <summary>Real server and client nodes in this process, each its own ActorSystem, on 127.0.0.1 port 0.</summary>
internal static class LocalNodes
{
    /// <param name="dataDir">The offline store's directory; by default a throwaway one (never the user's).</param>
    public static async Task<(ActorSystem System, IPEndPoint Endpoint)> StartServerAsync(ServerSettings? settings = null, int port = 0, string? dataDir = null)
    {
        settings ??= new ServerSettings();
        if (dataDir is not null)
            settings = settings with { DataDir = dataDir };
        else if (port != 0 && settings.DataDir.Length == 0)
            settings = settings with { DataDir = Path.Combine(Path.GetTempPath(), "entice-test-server-" + Guid.NewGuid().ToString("N")) };
        var system = ActorSystem.Create("server-" + Guid.NewGuid().ToString("N")[..8],
            Akka.Configuration.ConfigurationFactory.ParseString("akka.loglevel = WARNING\nakka.loggers = [\"Akka.Event.DefaultLogger\"]")
                .WithFallback(EnticeConfig.Server()));
        var started = await RelayServer.StartAsync(system, settings with { Host = "127.0.0.1", Port = port });
        return (system, started.Endpoint);
    }

    /// <param name="adjust">Changes to the settings (after the test defaults), e.g. LeaveOnExit for --once.</param>
    /// <param name="wrapView">Wraps the view the client shows events on (e.g. a LineHistory keeping them).</param>
    /// <param name="memory">Remembered settings to keep in the key directory (a MemoryKeeper), as the program does.</param>
    public static TestClient StartClient(string name, IPEndPoint server, string room = "lobby", string? keyDir = null, int[]? morePorts = null, string? config = null, Func<DateTimeOffset>? clock = null,
        TextWriter? lines = null, Func<ClientSettings, ClientSettings>? adjust = null, Entice.Client.Memory.ClientMemory? memory = null,
        Func<IChatView, IChatView>? wrapView = null)
    {
        var dir = keyDir ?? Path.Combine(Path.GetTempPath(), "entice-test-" + Guid.NewGuid().ToString("N"));
        var system = ActorSystem.Create("client-" + name,
            Akka.Configuration.ConfigurationFactory.ParseString((config ?? "") + "\nakka.loglevel = WARNING\nakka.loggers = [\"Akka.Event.DefaultLogger\"]")
                .WithFallback(EnticeConfig.Client()));
        var settings = ClientSettings.FromConfig(system.Settings.Config, name) with
        {
            Name = name,
            Room = room,
            Servers = [new DnsEndPoint("127.0.0.1", server.Port), .. (morePorts ?? []).Select(p => new DnsEndPoint("127.0.0.1", p))],
            ReconnectInitial = TimeSpan.FromMilliseconds(100),
            ReconnectMax = TimeSpan.FromSeconds(1),
        };
        if (adjust is not null)
            settings = adjust(settings);
        var keys = new KeyDirectory(dir);
        var view = new RecordingView();
        var exit = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var chat = system.ActorOf(ClientRoot.Props(settings, CryptoAgent.Props(name, keys,
            new CryptoAgent.Options { MaxSkip = 1000, Clock = clock }), ViewActor.Props((wrapView ?? (v => v))(lines is null ? view : new TeeView(view, new LineChatView(lines))), exit), exit,
            memory is null ? null : Entice.Client.Memory.MemoryKeeper.Props(dir, memory)), "client");
        return new TestClient(name, system, chat, view, exit.Task, dir);
    }
}

/// <summary>Shows every event on two views (recording, and line mode for what a terminal would get).</summary>
internal sealed class TeeView(IChatView first, IChatView second) : IChatView
{
    public void Show(ChatEvent e)
    {
        first.Show(e);
        second.Show(e);
    }
}

internal sealed record TestClient(string Name, ActorSystem System, IActorRef Chat, RecordingView View, Task<int> Exit, string KeyDir)
    : IAsyncDisposable
{
    public void Type(string line) => Chat.Tell(new ChatClient.UserLine(line));

    /// <summary>The start-and-await-ready preamble: this client once it has joined its first room.</summary>
    public async Task<TestClient> ReadyAsync()
    {
        await View.NextAsync<ReadyEvent>();
        return this;
    }

    public void EndInput() => Chat.Tell(new ChatClient.EndOfInput());

    public async ValueTask DisposeAsync()
    {
        await System.Terminate();
        if (Directory.Exists(KeyDir))
            Directory.Delete(KeyDir, recursive: true);
    }
}
