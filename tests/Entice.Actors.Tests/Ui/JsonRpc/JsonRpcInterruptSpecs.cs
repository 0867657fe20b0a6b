using System.Text.Json;
using System.Threading.Channels;
using Akka.Actor;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using Entice.Client;
using Rpc = Entice.ClientNode.Ui.JsonRpc.JsonRpc;

namespace Entice.Tests.Ui.JsonRpc;

/// <summary>
/// Ctrl+C / SIGTERM of <c>--web</c> (<see cref="Rpc.Interrupt"/>): the chat actor is asked to drain as at the
/// end of input, but a session whose relay is gone stops without waiting for it (the chat actor here is a
/// probe that never stops, as one waiting for a reconnect up to drain-timeout does).
/// </summary>
public sealed class JsonRpcInterruptSpecs : TestKit
{
    private readonly Channel<string> _out = Channel.CreateUnbounded<string>();
    private readonly TaskCompletionSource<int> _exit = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TestProbe _chat;
    private readonly IActorRef _session;

    public JsonRpcInterruptSpecs()
    {
        _chat = CreateTestProbe("chat");
        _session = Sys.ActorOf(Rpc.Props(Rpc.Limits.Default, _out.Writer, _exit, _chat.Ref));
    }

    private async Task<List<JsonElement>> AllLinesAsync()
    {
        var lines = new List<JsonElement>();
        await foreach (var line in _out.Reader.ReadAllAsync().WithCancellation(new CancellationTokenSource(TimeSpan.FromSeconds(15)).Token))
            lines.Add(JsonDocument.Parse(line).RootElement.Clone());
        return lines;
    }

    [Fact]
    public async Task An_interrupt_while_reconnecting_with_nothing_pending_stops_at_once_with_exit_0()
    {
        _session.Tell(new ReadyEvent("alice", "lobby", "fp"));
        _session.Tell(new DisconnectedEvent("connection lost", TimeSpan.FromSeconds(1)));
        _session.Tell(new Rpc.Interrupt(TimeSpan.FromMinutes(5)));

        await _chat.ExpectMsgAsync<ChatClient.EndOfInput>();
        Assert.Equal(0, await _exit.Task.WaitAsync(TimeSpan.FromSeconds(15)));
        var last = (await AllLinesAsync())[^1];
        Assert.Equal("stopped", last.GetProperty("method").GetString());
        Assert.Equal(0, last.GetProperty("params").GetProperty("exit_code").GetInt32());
        // The chat actor's own end, later, writes nothing more.
        _session.Tell(new StoppedEvent(1, "gave up"));
        Assert.False(_out.Reader.TryRead(out _));
    }

    [Fact]
    public async Task An_interrupt_with_an_own_message_pending_waits_then_stops_with_exit_1_and_answers_the_send()
    {
        _session.Tell(new ReadyEvent("alice", "lobby", "fp"));
        _session.Tell(new Rpc.Line("""{"jsonrpc":"2.0","id":"s","method":"send","params":{"room":"lobby","text":"still going"}}"""));
        await _chat.ExpectMsgAsync<ChatClient.Command>();
        _session.Tell(new DisconnectedEvent("connection lost", TimeSpan.FromSeconds(1)));
        _session.Tell(new Rpc.Interrupt(TimeSpan.FromMilliseconds(300)));

        await _chat.ExpectMsgAsync<ChatClient.EndOfInput>();
        Assert.Equal(1, await _exit.Task.WaitAsync(TimeSpan.FromSeconds(15)));
        var lines = await AllLinesAsync();
        Assert.Contains(lines, l => l.TryGetProperty("id", out var id) && id.GetString() == "s" && l.TryGetProperty("error", out _));
        Assert.Equal("stopped", lines[^1].GetProperty("method").GetString());
        Assert.Contains("1 message(s)", lines[^1].GetProperty("params").GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Online_the_chat_actor_ends_it_as_at_the_end_of_input()
    {
        _session.Tell(new ReadyEvent("alice", "lobby", "fp"));
        _session.Tell(new Rpc.Interrupt(TimeSpan.FromMinutes(5)));
        await _chat.ExpectMsgAsync<ChatClient.EndOfInput>();
        Assert.False(_exit.Task.IsCompleted);
        _session.Tell(new StoppedEvent(0, "end of input"));
        Assert.Equal(0, await _exit.Task.WaitAsync(TimeSpan.FromSeconds(15)));
    }
}
