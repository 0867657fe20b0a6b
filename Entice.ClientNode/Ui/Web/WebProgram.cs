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
/// or SIGTERM ends it like the end of input in the other modes.
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
        var client = system.ActorOf(ClientRoot.Props(settings, CryptoAgent.Props(name, keys, settings.MaxSkip),
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

            Console.CancelKeyPress += (_, e) => { e.Cancel = true; session.Tell(new Rpc.EndOfInput()); };
            using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(
                System.Runtime.InteropServices.PosixSignal.SIGTERM, ctx => { ctx.Cancel = true; session.Tell(new Rpc.EndOfInput()); });
            var code = await exit.Task;
            // "stopped" is queued for every tab; give the sockets a moment to send it and close.
            await WaitClosedAsync(connections, TimeSpan.FromSeconds(2));
            await system.Terminate();
            return code;
        }
    }

    private static async Task WaitClosedAsync(WebConnections connections, TimeSpan limit)
    {
        var until = DateTime.UtcNow + limit;
        while (connections.Count > 0 && DateTime.UtcNow < until)
            await Task.Delay(20);
    }
}
