using System.Threading.Channels;
using Akka.Actor;

namespace Entice.ClientNode.Ui.JsonRpc;

/// <summary>
/// <c>--json-rpc</c>: JSON-RPC 2.0 over any line transport (stdin/stdout now, a WebSocket later). The
/// session actor is the client's view: a transport tells it each <see cref="Line"/> it read and reads
/// the lines to write from the channel given to <see cref="Props"/>. Requests become typed
/// <see cref="Entice.Client.ChatClient.Command"/>s; every chat event becomes a notification; answers
/// carry the request's id. See docs/JSON-RPC.md.
/// </summary>
public static class JsonRpc
{
    /// <param name="output">Every line to write (one JSON object each); completed after the last one. A bounded
    /// channel bounds the memory a slow reader costs: when it is full, lines are dropped and counted.</param>
    /// <param name="exit">Completed with the exit code once the client stopped.</param>
    /// <param name="commands">Where commands go; null for the parent (the client's root, which forwards them to the chat actor).</param>
    /// <param name="history">The kept history (<c>history</c> and <c>forget</c>, and what is sent and received is kept); null keeps none.</param>
    public static Props Props(Limits limits, ChannelWriter<string> output, TaskCompletionSource<int> exit, IActorRef? commands = null,
        Views.LineHistory? history = null) =>
        Props(limits, new JsonRpcOutput(output), exit, commands, history);

    /// <summary>A session over any transport: answers go to the connection that asked, notifications to every one
    /// (the web host: one connection per WebSocket).</summary>
    public static Props Props(Limits limits, IJsonRpcOutput output, TaskCompletionSource<int> exit, IActorRef? commands = null,
        Views.LineHistory? history = null) =>
        Akka.Actor.Props.Create(() => new JsonRpcActor(limits, output, exit, commands, history));

    /// <summary>
    /// The crypto actor's options under JSON-RPC and --web: a message is shown only once its key state is written
    /// (<c>show-before-save</c> off). These sessions name a received message by an id of their own, so a copy the
    /// relay delivers again after a crash in between could not be told from a new one (the line and terminal views
    /// keep received messages under their envelope id and drop such a copy).
    /// </summary>
    public static Entice.Client.Keys.CryptoAgent.Options CryptoOptions(Entice.Client.ClientSettings settings) =>
        new() { MaxSkip = settings.MaxSkip, ShowBeforeSave = false };

    /// <summary>How much one session may ask for at once (entice.client.json-rpc in hocon/client.conf).</summary>
    /// <param name="MaxLineChars">A longer request line is refused unread (-32600).</param>
    /// <param name="MaxPending">Requests waiting for the chat actor; more are refused (-32005).</param>
    /// <param name="AnswerTimeout">A request the chat actor has not answered by then gets -32004.</param>
    /// <param name="MaxQueuedLines">Lines written but not yet taken by the transport; more are dropped and counted.</param>
    public sealed record Limits(int MaxLineChars, int MaxPending, TimeSpan AnswerTimeout, int MaxQueuedLines = 10_000)
    {
        public static Limits Default { get; } = new(1024 * 1024, 64, TimeSpan.FromSeconds(60));

        public static Limits FromConfig(Akka.Configuration.Config config)
        {
            ArgumentNullException.ThrowIfNull(config);
            var c = config.GetConfig("entice.client.json-rpc");
            if (c is null)
                return Default;
            var limits = new Limits(
                c.GetInt("max-line-chars", Default.MaxLineChars),
                c.GetInt("max-pending", Default.MaxPending),
                c.GetTimeSpan("answer-timeout", Default.AnswerTimeout),
                c.GetInt("max-queued-lines", Default.MaxQueuedLines));
            if (limits.MaxLineChars < 64 || limits.MaxPending < 1 || limits.AnswerTimeout <= TimeSpan.Zero || limits.MaxQueuedLines < 16)
                throw new Akka.Configuration.ConfigurationException("entice.client.json-rpc: max-line-chars >= 64, max-pending >= 1, answer-timeout > 0 and max-queued-lines >= 16 are required");
            return limits;
        }
    }

    /// <summary>One line the transport read (without its line ending), from connection <paramref name="From"/>
    /// (0 for a line transport; the WebSocket's number for the web host): its answer goes back there.</summary>
    public sealed record Line(string Text, long From = 0)
    {
        public override string ToString() => $"Line ({Text.Length} chars from {From})";
    }

    /// <summary>The transport read a line (a message) longer than its limit and dropped it.</summary>
    public sealed record LineTooLong(long From = 0);

    /// <summary>The transport's input ended: the client delivers what is pending, then stops.</summary>
    public sealed record EndOfInput;

    /// <summary>
    /// Ctrl+C or SIGTERM (<c>--web</c>): as <see cref="EndOfInput"/>, but the client does not wait for a relay
    /// it is not connected to. With nothing of this session's own waiting for the server, and not online
    /// (reconnecting, or never connected), it stops at once (exit 0); otherwise it waits at most
    /// <paramref name="Wait"/> for what is pending, then stops anyway (exit 1 if an own message was still
    /// waiting). A second one stops at once.
    /// </summary>
    public sealed record Interrupt(TimeSpan Wait);
}
