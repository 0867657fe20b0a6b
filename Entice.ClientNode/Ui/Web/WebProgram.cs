using Akka.Actor;
using Entice.Client;
using Entice.Client.Keys;
using Entice.Crypto.Storage;
using Rpc = Entice.ClientNode.Ui.JsonRpc.JsonRpc;

namespace Entice.ClientNode.Ui.Web;

/// <summary>
/// <c>--web</c>'s program: the same actors as <c>--json-rpc</c>, the same JSON-RPC session as the view,
/// with the local web server (<see cref="WebServer"/>) as its transport instead of stdin/stdout. Prints
/// the page's address with its one-time token and opens the browser (unless <c>--no-open</c>). Ctrl+C
/// or SIGTERM ends it promptly (<see cref="Rpc.Interrupt"/>): pending messages get <c>stop-wait</c>, and
/// a relay that is gone is not waited for.
/// </summary>
internal static class WebProgram
{
    public static async Task<int> RunAsync(Akka.Configuration.Config config, ClientSettings settings, string name, KeyDirectory keys,
        Props keeper, IReadOnlyList<string> moreRooms, bool open)
    {
        Rpc.Limits limits;
        WebSettings web;
        try
        {
            limits = Rpc.Limits.FromConfig(config);
            web = WebSettings.FromConfig(config);
        }
        catch (Akka.Configuration.ConfigurationException ex)
        {
            await Console.Error.WriteLineAsync($"entice: {ex.Message}");
            return 2;
        }
        await using var history = new Views.LineHistory(Tui.KeptHistoryStart.OpenStore(config, keys),
            warn: problem => Serilog.Log.Warning("kept history: {Problem}", problem));
        using var system = ActorSystem.Create("entice-client", config);
        var exit = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var connections = new WebConnections(web);
        var client = system.ActorOf(ClientRoot.Props(settings, CryptoAgent.Props(name, keys, Entice.ClientNode.Ui.JsonRpc.JsonRpc.CryptoOptions(settings)),
            Rpc.Props(limits, connections, exit, history: history), exit, keeper), "client");
        var session = (await client.Ask<ClientRoot.Children>(new ClientRoot.GetChildren(), TimeSpan.FromSeconds(30))).View;
        foreach (var room in moreRooms)
            client.Tell(new ChatClient.UserLine("/join " + room));

        WebServer server;
        try
        {
            server = await WebServer.StartAsync(session, connections, web, new WebPage());
        }
        catch (IOException ex)
        {
            await Console.Error.WriteLineAsync($"entice: cannot serve the web page on 127.0.0.1: {ex.Message}");
            await system.Terminate();
            return 2;
        }
        await using (server)
        {
            await Console.Out.WriteLineAsync($"Open {server.Url} (this address works once; Ctrl+C stops the client)");
            await Console.Out.FlushAsync();
            if (open && !Browser.TryOpen(server.Url))
                await Console.Out.WriteLineAsync("(no browser could be opened here: open the address above yourself)");

            // Not the end of input's drain (that waits up to drain-timeout for a relay that may be gone):
            // an interrupt stops at once when nothing is pending, else after stop-wait.
            var interrupt = new Rpc.Interrupt(web.StopWait);
            Console.CancelKeyPress += (_, e) => { e.Cancel = true; session.Tell(interrupt); };
            using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(
                System.Runtime.InteropServices.PosixSignal.SIGTERM, ctx => { ctx.Cancel = true; session.Tell(interrupt); });
            var code = await exit.Task;
            // "stopped" is queued for every tab: sent, with the close frame, before the server stops (a tab
            // that is frozen or does not answer the close is not waited for beyond the limit).
            await connections.FlushedAsync(TimeSpan.FromSeconds(2));
            await system.Terminate();
            return code;
        }
    }
}
