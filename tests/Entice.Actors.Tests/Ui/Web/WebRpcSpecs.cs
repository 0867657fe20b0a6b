using System.Net.WebSockets;
using Akka.Actor;
using System.Text.Json;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using Entice.Client;
using Entice.ClientNode.Ui.JsonRpc;
using Entice.ClientNode.Ui.Tui;
using Entice.ClientNode.Ui.Views;
using Entice.ClientNode.Ui.Web;
using Entice.Config;
using Entice.Crypto.Storage;
using Entice.Tests.Support;
using Entice.Wire;
using static Entice.Tests.Ui.Web.WebTestHost;

namespace Entice.Tests.Ui.Web;

/// <summary>
/// The web host's WebSocket speaks the same JSON-RPC as <c>--json-rpc</c> (one session, the chat actor a
/// probe): every method over a real socket, ids echoed as given, malformed and unknown requests answered
/// with the documented errors, several tabs, bounded messages.
/// </summary>
public sealed class WebRpcSpecs : TestKit, IAsyncLifetime
{
    private readonly TempDirs _dirs = new();
    private readonly TestProbe _chat;
    private readonly LineHistory _history;
    private WebTestHost _host = null!;

    public WebRpcSpecs()
    {
        _chat = CreateTestProbe("chat");
        _history = new LineHistory(KeptHistoryStart.OpenStore(EnticeConfig.Client(), new KeyDirectory(_dirs.New())));
    }

    public async Task InitializeAsync() => _host = await StartAsync(Sys, _chat.Ref, WebSettings.Default with { MaxMessageBytes = 4096 }, _history);

    async Task IAsyncLifetime.DisposeAsync()
    {
        await _host.DisposeAsync();
        await _history.DisposeAsync();
        _dirs.Dispose();
    }

    private async Task<ChatClient.Command> CommandAsync() => await _chat.ExpectMsgAsync<ChatClient.Command>();

    private static async Task<JsonElement> ResultAsync(ClientWebSocket page, string rawId)
    {
        var answer = await AnswerAsync(page, rawId);
        Assert.True(answer.TryGetProperty("result", out var result), answer.ToString());
        return result;
    }

    private static async Task<int> ErrorAsync(ClientWebSocket page, string rawId)
    {
        var answer = await AnswerAsync(page, rawId);
        Assert.True(answer.TryGetProperty("error", out var error), answer.ToString());
        return error.GetProperty("code").GetInt32();
    }

    [Fact]
    public async Task Send_join_leave_rooms_members_over_the_socket_answer_with_the_ids_given()
    {
        using var page = await _host.PageAsync();
        _host.Session.Tell(new ReadyEvent("alice", "lobby", "d672 853a"));

        await SendAsync(page, """{"jsonrpc":"2.0","id":"s1","method":"send","params":{"room":"lobby","text":"/not a command\nsecond line"}}""");
        var say = await CommandAsync();
        Assert.Equal(new UserCommand.Say("/not a command\nsecond line"), say.What);
        _host.Session.Tell(new SentEvent("m1", "lobby", null, 1, say.Tag));
        Assert.Equal("m1", (await ResultAsync(page, "\"s1\"")).GetProperty("id").GetString());
        _host.Session.Tell(new DeliveredEvent("m1", "bob", null));
        Assert.Equal("m1", (await NotificationAsync(page, "delivered")).GetProperty("id").GetString());

        await SendAsync(page, """{"jsonrpc":"2.0","id":7,"method":"send","params":{"to":"Bob","text":"psst"}}""");
        var direct = await CommandAsync();
        Assert.Equal(new UserCommand.Direct("bob", "psst"), direct.What);
        _host.Session.Tell(new SentEvent("m2", "lobby", "bob", 1, direct.Tag));
        Assert.Equal("bob", (await ResultAsync(page, "7")).GetProperty("to").GetString());

        await SendAsync(page, """{"jsonrpc":"2.0","id":8,"method":"join","params":{"room":"games"}}""");
        Assert.Equal(new UserCommand.Join("games"), (await CommandAsync()).What);
        _host.Session.Tell(new RoomEnteredEvent("games"));
        Assert.Equal("games", (await ResultAsync(page, "8")).GetProperty("room").GetString());

        await SendAsync(page, """{"jsonrpc":"2.0","id":9,"method":"rooms"}""");
        Assert.Equal(["games", "lobby"], (await ResultAsync(page, "9")).GetProperty("rooms").EnumerateArray().Select(r => r.GetString()));

        await SendAsync(page, """{"jsonrpc":"2.0","id":10,"method":"leave","params":{"room":"games"}}""");
        Assert.Equal(new UserCommand.Leave("games"), (await CommandAsync()).What);
        _host.Session.Tell(new RoomExitedEvent("games"));
        Assert.Equal("games", (await ResultAsync(page, "10")).GetProperty("room").GetString());

        _host.Session.Tell(new MemberAwayEvent("lobby", "carol"));
        _host.Session.Tell(new KeyChangedEvent("bob"));
        await SendAsync(page, """{"jsonrpc":"2.0","id":11,"method":"members","params":{"room":"lobby"}}""");
        Assert.IsType<UserCommand.Who>((await CommandAsync()).What);
        _host.Session.Tell(new MembersEvent("lobby", ["alice", "bob", "carol"]));
        var members = await ResultAsync(page, "11");
        Assert.Equal(["alice", "bob", "carol"], members.GetProperty("members").EnumerateArray().Select(m => m.GetString()));
        var details = members.GetProperty("details").EnumerateArray().ToDictionary(d => d.GetProperty("name").GetString()!);
        Assert.True(details["alice"].GetProperty("you").GetBoolean());
        Assert.Equal("changed", details["bob"].GetProperty("key").GetString());
        Assert.Equal("unverified", details["carol"].GetProperty("key").GetString());
        Assert.True(details["carol"].GetProperty("away").GetBoolean());
        Assert.False(details["bob"].GetProperty("away").GetBoolean());
    }

    [Fact]
    public async Task Verify_answers_the_60_digits_and_their_qr_code_and_mark_verified_and_trust_change_the_key_state()
    {
        using var page = await _host.PageAsync();
        var digits = string.Join(' ', Enumerable.Range(0, 12).Select(i => $"{i * 7919 % 100000:D5}"));
        await SendAsync(page, """{"jsonrpc":"2.0","id":"v","method":"verify","params":{"name":"bob"}}""");
        Assert.Equal(new UserCommand.Verify("bob"), (await CommandAsync()).What);
        _host.Session.Tell(new SafetyNumberEvent("bob", digits));
        var verify = await ResultAsync(page, "\"v\"");
        Assert.Equal(digits, verify.GetProperty("safety_number").GetString());
        Assert.Equal(60, verify.GetProperty("safety_number").GetString()!.Count(char.IsAsciiDigit));
        var svg = verify.GetProperty("qr_svg").GetString()!;
        Assert.StartsWith("<svg", svg.TrimStart());
        Assert.Equal(SafetyQr.Svg(digits), svg); // the same number, the same picture on both screens
        Assert.NotEqual(SafetyQr.Svg(digits.Replace('1', '2')), svg);
        Assert.DoesNotContain("<script", svg, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("style=", svg, StringComparison.OrdinalIgnoreCase);

        await SendAsync(page, """{"jsonrpc":"2.0","id":"mv","method":"mark_verified","params":{"name":"bob"}}""");
        Assert.Equal(new UserCommand.MarkVerified("bob"), (await CommandAsync()).What);
        _host.Session.Tell(new VerifiedEvent("bob"));
        Assert.Equal("bob", (await ResultAsync(page, "\"mv\"")).GetProperty("name").GetString());

        _host.Session.Tell(new KeyChangedEvent("bob"));
        Assert.Equal("bob", (await NotificationAsync(page, "key_changed")).GetProperty("peer").GetString());
        await SendAsync(page, """{"jsonrpc":"2.0","id":"t","method":"trust","params":{"name":"bob"}}""");
        Assert.Equal(new UserCommand.Trust("bob"), (await CommandAsync()).What);
        _host.Session.Tell(new TrustedEvent("bob"));
        Assert.Equal("bob", (await ResultAsync(page, "\"t\"")).GetProperty("name").GetString());
    }

    [Fact]
    public async Task Status_conversations_and_read_tell_a_late_page_where_things_stand()
    {
        _host.Session.Tell(new ReadyEvent("alice", "lobby", "d672 853a"));
        _host.Session.Tell(new MessageEvent("lobby", "bob", "one", false, DateTimeOffset.UtcNow));
        _host.Session.Tell(new MessageEvent("lobby", "bob", "two", false, DateTimeOffset.UtcNow));
        _host.Session.Tell(new MessageEvent("lobby", "carol", "psst", true, DateTimeOffset.UtcNow));
        _host.Session.Tell(new DisconnectedEvent("connection lost", TimeSpan.FromSeconds(1)));
        using var page = await _host.PageAsync(); // connects after all that

        await SendAsync(page, """{"jsonrpc":"2.0","id":1,"method":"status"}""");
        var status = await ResultAsync(page, "1");
        Assert.Equal(("alice", "d672 853a", "reconnecting"),
            (status.GetProperty("name").GetString(), status.GetProperty("fingerprint").GetString(), status.GetProperty("connection").GetString()));
        _host.Session.Tell(new ReconnectedEvent("127.0.0.1:42000"));
        Assert.Equal("127.0.0.1:42000", (await NotificationAsync(page, "reconnected")).GetProperty("server").GetString());
        await SendAsync(page, """{"jsonrpc":"2.0","id":2,"method":"status"}""");
        Assert.Equal("online", (await ResultAsync(page, "2")).GetProperty("connection").GetString());

        await SendAsync(page, """{"jsonrpc":"2.0","id":3,"method":"conversations"}""");
        var unread = (await ResultAsync(page, "3")).GetProperty("conversations").EnumerateArray()
            .ToDictionary(c => c.GetProperty("conversation").GetString()!, c => c.GetProperty("unread").GetInt32());
        Assert.Equal(2, unread["#lobby"]);
        Assert.Equal(1, unread["@carol"]);

        using var other = await _host.PageAsync(); // another tab
        await SendAsync(page, """{"jsonrpc":"2.0","id":4,"method":"read","params":{"room":"lobby"}}""");
        Assert.Equal(0, (await ResultAsync(page, "4")).GetProperty("unread").GetInt32());
        Assert.Equal("#lobby", (await NotificationAsync(other, "read")).GetProperty("conversation").GetString()); // the other tab clears its badge
        await SendAsync(page, """{"jsonrpc":"2.0","id":5,"method":"conversations"}""");
        var after = (await ResultAsync(page, "5")).GetProperty("conversations").EnumerateArray()
            .ToDictionary(c => c.GetProperty("conversation").GetString()!, c => c.GetProperty("unread").GetInt32());
        Assert.Equal((0, 1), (after["#lobby"], after["@carol"]));
        await SendAsync(page, """{"jsonrpc":"2.0","id":6,"method":"read","params":{"with":"nobody"}}""");
        Assert.Equal(JsonRpcErrors.InvalidParams, await ErrorAsync(page, "6"));
    }

    [Fact]
    public async Task History_and_forget_work_over_the_socket()
    {
        using var page = await _host.PageAsync();
        _host.Session.Tell(new ReadyEvent("alice", "lobby", "fp"));
        _host.Session.Tell(new MessageEvent("lobby", "bob", "kept line", false, DateTimeOffset.UtcNow));
        await NotificationAsync(page, "message");
        await _history.FlushAsync();
        await SendAsync(page, """{"jsonrpc":"2.0","id":"h","method":"history","params":{"room":"lobby"}}""");
        var messages = (await ResultAsync(page, "\"h\"")).GetProperty("messages").EnumerateArray().ToList();
        Assert.Equal("kept line", Assert.Single(messages).GetProperty("text").GetString());
        await SendAsync(page, """{"jsonrpc":"2.0","id":"f","method":"forget","params":{"room":"lobby"}}""");
        Assert.True((await ResultAsync(page, "\"f\"")).GetProperty("forgotten").GetBoolean());
    }

    [Theory]
    [InlineData("{oops", JsonRpcErrors.ParseError, "null")]
    [InlineData("[1,2]", JsonRpcErrors.InvalidRequest, "null")]
    [InlineData("""{"jsonrpc":"1.0","id":"x","method":"rooms"}""", JsonRpcErrors.InvalidRequest, "\"x\"")]
    [InlineData("""{"jsonrpc":"2.0","id":{"no":1},"method":"rooms"}""", JsonRpcErrors.InvalidRequest, "null")]
    [InlineData("""{"jsonrpc":"2.0","id":3.5,"method":"shout"}""", JsonRpcErrors.MethodNotFound, "3.5")]
    [InlineData("""{"jsonrpc":"2.0","id":"q","method":"send","params":["lobby","hi"]}""", JsonRpcErrors.InvalidParams, "\"q\"")]
    [InlineData("""{"jsonrpc":"2.0","id":null,"method":"join","params":{"room":"no spaces"}}""", JsonRpcErrors.InvalidParams, "null")]
    public async Task Malformed_and_unknown_requests_get_the_documented_error_with_the_id_echoed_and_the_socket_stays(string message, int code, string rawId)
    {
        using var page = await _host.PageAsync();
        await SendAsync(page, message);
        var answer = await ReceiveAsync(page) ?? throw new InvalidOperationException("closed");
        Assert.Equal(rawId, answer.GetProperty("id").GetRawText());
        Assert.Equal(code, answer.GetProperty("error").GetProperty("code").GetInt32());
        await _chat.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(100));
        await SendAsync(page, """{"jsonrpc":"2.0","id":"after","method":"rooms"}""");
        await ResultAsync(page, "\"after\"");
    }

    [Fact]
    public async Task A_message_over_the_limit_is_skipped_unread_and_answered_and_the_socket_goes_on()
    {
        using var page = await _host.PageAsync();
        var huge = """{"jsonrpc":"2.0","id":1,"method":"send","params":{"room":"lobby","text":""" + "\"" + new string('x', 10_000) + "\"}}";
        await SendAsync(page, huge);
        var answer = await ReceiveAsync(page) ?? throw new InvalidOperationException("closed");
        Assert.Equal(JsonRpcErrors.InvalidRequest, answer.GetProperty("error").GetProperty("code").GetInt32());
        Assert.Equal("null", answer.GetProperty("id").GetRawText());
        await _chat.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(100));
        await SendAsync(page, """{"jsonrpc":"2.0","id":"next","method":"rooms"}""");
        await ResultAsync(page, "\"next\"");
    }

    [Fact]
    public async Task A_text_message_that_is_not_utf8_closes_that_socket_only()
    {
        using var page = await _host.PageAsync();
        using var other = await _host.PageAsync();
        await page.SendAsync(new byte[] { 0x7b, 0xff, 0xfe, 0x7d }, WebSocketMessageType.Text, true, CancellationToken.None);
        Assert.Null(await ReceiveAsync(page));
        Assert.Equal(WebSocketCloseStatus.InvalidPayloadData, page.CloseStatus);
        await _chat.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(100));
        await SendAsync(other, """{"jsonrpc":"2.0","id":"next","method":"rooms"}""");
        await ResultAsync(other, "\"next\"");
    }

    [Fact]
    public async Task A_binary_message_closes_the_socket()
    {
        using var page = await _host.PageAsync();
        await page.SendAsync(new byte[] { 1, 2, 3 }, WebSocketMessageType.Binary, true, CancellationToken.None);
        Assert.Null(await ReceiveAsync(page));
        Assert.Equal(WebSocketCloseStatus.InvalidMessageType, page.CloseStatus);
    }

    [Fact]
    public async Task Every_tab_gets_every_notification_and_only_the_asking_tab_its_answer()
    {
        using var first = await _host.PageAsync();
        using var second = await _host.PageAsync();
        await Eventually.HoldsAsync(() => Task.FromResult(_host.Connections.Count == 2));
        // both ask with the same id: each gets its own answer
        await SendAsync(first, """{"jsonrpc":"2.0","id":1,"method":"verify","params":{"name":"bob"}}""");
        var one = await CommandAsync();
        _host.Session.Tell(new SafetyNumberEvent("bob", "1"));
        Assert.Equal("bob", (await ResultAsync(first, "1")).GetProperty("name").GetString());
        _host.Session.Tell(new MessageEvent("lobby", "bob", "to all tabs", false, DateTimeOffset.UtcNow));
        // the second tab sees the safety_number notification, then the message, but no answer with id 1
        var seen = new List<JsonElement>();
        while (seen.Count == 0 || !seen[^1].TryGetProperty("method", out var m) || m.GetString() != "message")
            seen.Add((await ReceiveAsync(second))!.Value);
        Assert.DoesNotContain(seen, e => e.TryGetProperty("id", out _));
        Assert.Equal("to all tabs", seen[^1].GetProperty("params").GetProperty("text").GetString());
        Assert.Equal("to all tabs", (await NotificationAsync(first, "message")).GetProperty("text").GetString());
        Assert.NotNull(one);
    }

    [Fact]
    public async Task Stopping_sends_stopped_to_every_tab_and_closes_them()
    {
        using var page = await _host.PageAsync();
        _host.Session.Tell(new StoppedEvent(0, "done"));
        Assert.Equal(0, (await NotificationAsync(page, "stopped")).GetProperty("exit_code").GetInt32());
        Assert.Null(await ReceiveAsync(page));
        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, page.CloseStatus);
    }
}
