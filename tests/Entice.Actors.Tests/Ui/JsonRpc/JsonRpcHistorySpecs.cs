using System.Text.Json;
using System.Threading.Channels;
using Akka.Actor;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using Entice.Client;
using Entice.ClientNode.Ui.JsonRpc;
using Entice.ClientNode.Ui.Tui;
using Entice.ClientNode.Ui.Views;
using Entice.Config;
using Entice.Crypto.Storage;
using Entice.Tests.Support;
using Rpc = Entice.ClientNode.Ui.JsonRpc.JsonRpc;

namespace Entice.Tests.Ui.JsonRpc;

/// <summary>JSON-RPC <c>history</c> and <c>forget</c> over a real kept-history store (issue 18), the chat actor a probe.</summary>
public sealed class JsonRpcHistorySpecs : TestKit, IAsyncLifetime
{
    private readonly Channel<string> _out = Channel.CreateUnbounded<string>();
    private readonly TaskCompletionSource<int> _exit = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TempDirs _dirs = new();
    private readonly TestProbe _chat;
    private readonly LineHistory _history;
    private readonly IActorRef _session;

    public JsonRpcHistorySpecs()
    {
        _chat = CreateTestProbe("chat");
        _history = new LineHistory(KeptHistoryStart.OpenStore(EnticeConfig.Client(), new KeyDirectory(_dirs.New())));
        _session = Sys.ActorOf(Rpc.Props(Rpc.Limits.Default, _out.Writer, _exit, _chat.Ref, _history));
    }

    public Task InitializeAsync() => Task.CompletedTask;

    async Task IAsyncLifetime.DisposeAsync()
    {
        await _history.DisposeAsync();
        _dirs.Dispose();
    }

    private void Send(string line) => _session.Tell(new Rpc.Line(line));

    // The answer to request id; notifications before it are skipped.
    private async Task<JsonElement> AnswerAsync(string id)
    {
        while (true)
        {
            var line = await _out.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(15));
            var root = JsonDocument.Parse(line).RootElement.Clone();
            if (root.TryGetProperty("id", out var got) && got.ValueKind == JsonValueKind.String && got.GetString() == id)
                return root;
        }
    }

    private async Task<JsonElement[]> HistoryAsync(string id, string @params)
    {
        await _history.FlushAsync();
        Send($$"""{"jsonrpc":"2.0","id":"{{id}}","method":"history","params":{{@params}}}""");
        var answer = await AnswerAsync(id);
        Assert.True(answer.TryGetProperty("result", out var result), answer.ToString());
        return [.. result.GetProperty("messages").EnumerateArray()];
    }

    // The next notification named method; answers and other notifications before it are skipped.
    private async Task<JsonElement> NotificationAsync(string method)
    {
        while (true)
        {
            var line = await _out.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(15));
            var root = JsonDocument.Parse(line).RootElement.Clone();
            if (root.TryGetProperty("method", out var m) && m.GetString() == method)
                return root.GetProperty("params");
        }
    }

    [Fact]
    public async Task A_received_message_has_one_id_in_its_notification_and_in_the_kept_history()
    {
        _session.Tell(new ReadyEvent("alice", "lobby", "fp"));
        _session.Tell(new MessageEvent("lobby", "bob", "same text", false, DateTimeOffset.UtcNow));
        _session.Tell(new MessageEvent("lobby", "bob", "same text", false, DateTimeOffset.UtcNow));
        var first = (await NotificationAsync("message")).GetProperty("id").GetString();
        var second = (await NotificationAsync("message")).GetProperty("id").GetString();
        Assert.NotEqual(first, second);

        var kept = await HistoryAsync("h", """{"room":"lobby"}""");
        Assert.Equal([first, second], kept.Select(m => m.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task History_after_an_id_returns_the_messages_kept_after_it_oldest_first()
    {
        _session.Tell(new ReadyEvent("alice", "lobby", "fp"));
        var now = DateTimeOffset.UtcNow;
        // The sender's clocks disagree with the order they came in: "after" goes by what was kept after.
        foreach (var (text, at) in new[] { ("one", now), ("two", now.AddMinutes(-5)), ("three", now.AddSeconds(1)), ("four", now) })
            _session.Tell(new MessageEvent("lobby", "bob", text, false, at));
        var ids = new List<string>();
        for (var i = 0; i < 4; i++)
            ids.Add((await NotificationAsync("message")).GetProperty("id").GetString()!);

        var after = await HistoryAsync("a1", $$"""{"room":"lobby","after":"{{ids[0]}}","limit":2}""");
        Assert.Equal(["two", "three"], after.Select(m => m.GetProperty("text").GetString()));
        var rest = await HistoryAsync("a2", $$"""{"room":"lobby","after":"{{ids[2]}}"}""");
        Assert.Equal(["four"], rest.Select(m => m.GetProperty("text").GetString()));
        Assert.Empty(await HistoryAsync("a3", $$"""{"room":"lobby","after":"{{ids[3]}}"}"""));
        var before = await HistoryAsync("b1", $$"""{"room":"lobby","before":"{{ids[2]}}"}""");
        Assert.Equal(["one", "two"], before.Select(m => m.GetProperty("text").GetString()));
    }

    [Fact]
    public async Task The_sent_notification_carries_the_text_and_conversation_for_every_connection()
    {
        _session.Tell(new ReadyEvent("alice", "lobby", "fp"));
        Send("""{"jsonrpc":"2.0","id":"s","method":"send","params":{"to":"bob","text":"line one\nline two"}}""");
        var command = await _chat.ExpectMsgAsync<ChatClient.Command>();
        _session.Tell(new SentEvent("m7", "lobby", "bob", 1, command.Tag));

        var sent = await NotificationAsync("sent");
        Assert.Equal("m7", sent.GetProperty("id").GetString());
        Assert.Equal("@bob", sent.GetProperty("conversation").GetString());
        Assert.Equal("bob", sent.GetProperty("to").GetString());
        Assert.Equal("alice", sent.GetProperty("from").GetString());
        Assert.Equal("line one\nline two", sent.GetProperty("text").GetString());
        Assert.True(DateTimeOffset.TryParse(sent.GetProperty("sent_at").GetString(), out _));
    }

    [Fact]
    public async Task History_returns_what_was_sent_and_received_and_forget_deletes_it()
    {
        _session.Tell(new ReadyEvent("alice", "lobby", "fp"));
        Send("""{"jsonrpc":"2.0","id":"s","method":"send","params":{"room":"lobby","text":"first from alice"}}""");
        var command = await _chat.ExpectMsgAsync<ChatClient.Command>();
        _session.Tell(new SentEvent("m1", "lobby", null, 1, command.Tag));
        _session.Tell(new DeliveredEvent("m1", "bob", null));
        _session.Tell(new MessageEvent("lobby", "bob", "then bob", false, DateTimeOffset.UtcNow.AddSeconds(1)));
        _session.Tell(new MessageEvent("lobby", "carol", "direct from carol", true, DateTimeOffset.UtcNow));

        var lobby = await HistoryAsync("h1", """{"room":"Lobby","limit":500}""");
        Assert.Equal(["first from alice", "then bob"], lobby.Select(m => m.GetProperty("text").GetString()));
        Assert.Equal("m1", lobby[0].GetProperty("id").GetString());
        Assert.True(lobby[0].GetProperty("own").GetBoolean());
        Assert.Equal("delivered", lobby[0].GetProperty("delivery").GetString());
        var older = await HistoryAsync("h2", """{"room":"lobby","before":"m1-not-kept-x"}""".Replace("m1-not-kept-x", lobby[1].GetProperty("id").GetString(), StringComparison.Ordinal));
        Assert.Equal(["first from alice"], older.Select(m => m.GetProperty("text").GetString()));
        var direct = await HistoryAsync("h3", """{"with":"carol","limit":1}""");
        Assert.Equal("direct from carol", Assert.Single(direct).GetProperty("text").GetString());

        Send("""{"jsonrpc":"2.0","id":"f","method":"forget","params":{"room":"lobby"}}""");
        Assert.True((await AnswerAsync("f")).GetProperty("result").GetProperty("forgotten").GetBoolean());
        Assert.Empty(await HistoryAsync("h4", """{"room":"lobby"}"""));
        Assert.Single(await HistoryAsync("h5", """{"with":"carol"}"""));
    }

    [Theory]
    [InlineData("""{"room":"lobby","limit":501}""")]
    [InlineData("""{"room":"lobby","limit":0}""")]
    [InlineData("""{"room":"lobby","with":"bob"}""")]
    [InlineData("""{}""")]
    [InlineData("""{"room":"lobby","before":"no such id"}""")]
    [InlineData("""{"room":"lobby","after":"no such id"}""")]
    [InlineData("""{"room":"lobby","after":"2026-01-01T00:00:00Z","before":"2026-01-01T00:00:00Z"}""")]
    public async Task Bad_history_params_are_invalid_params(string @params)
    {
        Send($$"""{"jsonrpc":"2.0","id":"x","method":"history","params":{{@params}}}""");
        var answer = await AnswerAsync("x");
        Assert.Equal(JsonRpcErrors.InvalidParams, answer.GetProperty("error").GetProperty("code").GetInt32());
    }
}
