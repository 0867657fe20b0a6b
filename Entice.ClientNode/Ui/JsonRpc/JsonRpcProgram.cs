using System.Threading.Channels;
using Akka.Actor;
using Entice.Client;
using Entice.Client.Keys;
using Entice.Crypto.Storage;

namespace Entice.ClientNode.Ui.JsonRpc;

/// <summary>
/// <c>--json-rpc</c>'s program: the same actors as line mode with a <see cref="JsonRpc"/> session as the
/// view; stdin and stdout are its transport (two threads outside the actors do the blocking reads and writes).
/// </summary>
internal static class JsonRpcProgram
{
    public static async Task<int> RunAsync(Akka.Configuration.Config config, ClientSettings settings, string name, KeyDirectory keys)
    {
        JsonRpc.Limits limits;
        try
        {
            limits = JsonRpc.Limits.FromConfig(config);
        }
        catch (Akka.Configuration.ConfigurationException ex)
        {
            await Console.Error.WriteLineAsync($"entice: {ex.Message}");
            return 2; // bad usage: a wrong setting, before anything started
        }
        // Kept history (issue 18): the terminal UI's store, for the history and forget methods.
        await using var history = new Views.LineHistory(Tui.KeptHistoryStart.OpenStore(config, keys),
            warn: problem => Serilog.Log.Warning("kept history: {Problem}", problem));
        using var system = ActorSystem.Create("entice-client", config);
        var exit = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var lines = Channel.CreateBounded<string>(new BoundedChannelOptions(limits.MaxQueuedLines) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        var client = system.ActorOf(ClientRoot.Props(settings, CryptoAgent.Props(name, keys, JsonRpc.CryptoOptions(settings)),
            JsonRpc.Props(limits, lines.Writer, exit, history: history), exit), "client");
        var session = (await client.Ask<ClientRoot.Children>(new ClientRoot.GetChildren(), TimeSpan.FromSeconds(30))).View;

        var stdout = Console.Out;
        var writer = Task.Run(async () =>
        {
            await foreach (var line in lines.Reader.ReadAllAsync())
            {
                await stdout.WriteLineAsync(line);
                await stdout.FlushAsync();
            }
        });
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; session.Tell(new JsonRpc.EndOfInput()); };
        _ = Task.Factory.StartNew(() =>
        {
            var reader = new BoundedLineReader(Console.In, limits.MaxLineChars);
            while (reader.ReadLine() is { } line)
                session.Tell(ReferenceEquals(line, BoundedLineReader.TooLong) ? new JsonRpc.LineTooLong() : new JsonRpc.Line(line));
            session.Tell(new JsonRpc.EndOfInput());
        }, TaskCreationOptions.LongRunning);

        var code = await exit.Task;
        lines.Writer.TryComplete();
        await writer;
        await system.Terminate();
        return code;
    }
}
