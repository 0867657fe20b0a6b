using Akka.Actor;
using Entice.Client;
using System.Runtime.InteropServices;
using Serilog;
using Terminal.Gui.App;
using Entice.Crypto.Storage;
using Entice.Client.Keys;
using Entice.ClientNode.Ui.Presentation;
using Entice.ClientNode.Ui.Views;

namespace Entice.ClientNode.Ui.Tui;

/// <summary>
/// The terminal UI's program: the same actors as line mode, with <see cref="TuiChatView"/> as the view
/// and the Terminal.Gui loop on this thread instead of a stdin reader.
/// </summary>
internal static class TuiProgram
{
    public static async Task<int> RunAsync(Akka.Configuration.Config config, ClientSettings settings, string name, KeyDirectory keys,
        Props? memory = null, IReadOnlyList<string>? moreRooms = null)
    {
        var server = string.Join(",", settings.Servers.Select(s => $"{s.Host}:{s.Port}"));
        var presenter = new ChatPresenter(name, server);
        var (historyStore, historyWriter) = KeptHistoryStart.Open(config, keys, presenter);
        using var system = ActorSystem.Create("entice-client", config);
        var exit = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        IActorRef client;
        StoppedEvent? stopped;
        bool quitSent;
        TuiChatView view;
        var hungUp = false;
        var app = Application.Create().Init();
        try
        {
            using var window = new ChatWindow(app, presenter);
            view = new TuiChatView(app, window);
            client = system.ActorOf(ClientRoot.Props(settings, CryptoAgent.Props(name, keys, settings.MaxSkip),
                ViewActor.Props(view, exit), exit, memory), "client");
            foreach (var room in moreRooms ?? [])
                client.Tell(new ChatClient.UserLine("/join " + room));
            window.Client = client;
            window.FocusInput();
            // SIGTERM and SIGHUP close the screen through Terminal.Gui (which leaves the alternate screen
            // and restores the terminal's modes) instead of ending the process under it.
            using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
            using var hup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, OnSignal);
            app.Run(window, ex =>
            {
                Log.Error(ex, "terminal UI error");
                return true;
            });
            view.Close();
            stopped = window.Stopped;
            quitSent = window.QuitSent;

            void OnSignal(PosixSignalContext context)
            {
                context.Cancel = true;
                hungUp |= context.Signal == PosixSignal.SIGHUP;
                Log.Warning("{Signal}: closing the terminal UI", context.Signal);
                app.Invoke(window.CloseForSignal);
            }
        }
        finally
        {
            CloseScreen(app, hungUp);
        }
        if (stopped is null && !quitSent)
        {
            // The screen closed without StoppedEvent (the terminal went away): still deliver what is pending.
            client.Tell(new ChatClient.EndOfInput());
        }
        var code = await exit.Task.WaitAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        stopped ??= view.Stopped;
        if (stopped is { ExitCode: not 0 })
            Console.Error.WriteLine($"entice: {stopped.Reason}");
        await system.Terminate().ConfigureAwait(false);
        await KeptHistoryStart.CloseAsync(historyStore, historyWriter).ConfigureAwait(false);
        return code;
    }

    // Restores the terminal. After a hang-up there is no terminal to restore, and Terminal.Gui's shutdown
    // can wait on it forever: then it gets a few seconds on its own thread, and the client goes on to
    // deliver what is pending and exit.
    private static void CloseScreen(IApplication app, bool hungUp)
    {
        if (!hungUp)
        {
            app.Dispose();
            return;
        }
        var closing = Task.Run(app.Dispose);
        if (!closing.Wait(TimeSpan.FromSeconds(3)))
            Log.Warning("the terminal went away; not waiting for it to close the screen");
    }
}
