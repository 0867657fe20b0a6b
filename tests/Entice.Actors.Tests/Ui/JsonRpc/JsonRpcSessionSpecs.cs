using System.Text.Json;
using System.Threading.Channels;
using Akka.Actor;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using Entice.Client;
using Entice.ClientNode.Ui.JsonRpc;
using Entice.Wire;
using Rpc = Entice.ClientNode.Ui.JsonRpc.JsonRpc;

namespace Entice.Tests.Ui.JsonRpc;

/// <summary>
/// The JSON-RPC session with a probe for the chat actor: each method becomes its typed command, the
/// chat events that answer it come back with the request's id, bad input gets the right error, the
/// limits hold.
/// </summary>
public sealed class JsonRpcSessionSpecs : TestKit
{
    private readonly Channel<string> _out = Channel.CreateUnbounded<string>();
    private readonly TaskCompletionSource<int> _exit = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TestProbe _chat;
    private IActorRef _session = ActorRefs.Nobody;

    public JsonRpcSessionSpecs() => _chat = CreateTestProbe("chat");

    [Fact]
    public void A_session_shows_a_message_only_once_its_key_state_is_written_since_it_could_not_recognise_a_copy_after_a_crash()
    {
        var options = Rpc.CryptoOptions(new ClientSettings { Name = "alice", MaxSkip = 77 });
        Assert.False(options.ShowBeforeSave);
        Assert.Equal(77, options.MaxSkip);
    }

    private void Start(Rpc.Limits? limits = null) =>
        _session = Sys.ActorOf(Rpc.Props(limits ?? Rpc.Limits.Default, _out.Writer, _exit, _chat.Ref));

    private void Send(string line) => _session.Tell(new Rpc.Line(line));

    private async Task<JsonElement> NextAsync()
    {
        var line = await _out.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(15));
        Assert.DoesNotContain('\n', line);
        using var doc = JsonDocument.Parse(line);
        var root = doc.RootElement.Clone();
        Assert.Equal("2.0", root.GetProperty("jsonrpc").GetString());
        return root;
    }

    private async Task<ChatClient.Command> CommandAsync() => await _chat.ExpectMsgAsync<ChatClient.Command>();

    private async Task<JsonElement> ErrorAsync(int code)
    {
        var answer = await NextAsync();
        Assert.True(answer.TryGetProperty("error", out var error), answer.ToString());
        Assert.Equal(code, error.GetProperty("code").GetInt32());
        return answer;
    }

    [Fact]
    public async Task Send_to_a_room_takes_any_text_and_answers_with_the_message_id_once_sent()
    {
        Start();
        Send("""{"jsonrpc":"2.0","id":"a","method":"send","params":{"room":"Lobby","text":"/quit\nsecond line"}}""");
        var command = await CommandAsync();
        Assert.Equal(new UserCommand.Say("/quit\nsecond line"), command.What);
        Assert.Equal("lobby", command.Room);

        _session.Tell(new SentEvent("m7", "lobby", null, 2, command.Tag));
        var sent = await NextAsync(); // the notification comes after the answer
        var answer = sent.TryGetProperty("id", out _) ? sent : await NextAsync();
        Assert.Equal("a", answer.GetProperty("id").GetString());
        Assert.Equal("m7", answer.GetProperty("result").GetProperty("id").GetString());
        Assert.Equal(2, answer.GetProperty("result").GetProperty("recipients").GetInt32());
    }

    [Fact]
    public async Task Send_to_a_name_is_a_direct_message_and_a_numeric_id_comes_back_as_a_number()
    {
        Start();
        Send("""{"jsonrpc":"2.0","id":41,"method":"send","params":{"to":"Bob","text":"psst"}}""");
        var command = await CommandAsync();
        Assert.Equal(new UserCommand.Direct("bob", "psst"), command.What);
        _session.Tell(new SentEvent("m1", "lobby", "bob", 1, command.Tag));
        var answer = await NextAsync();
        Assert.Equal(41, answer.GetProperty("id").GetInt32());
        Assert.Equal("m1", answer.GetProperty("result").GetProperty("id").GetString());
    }

    [Fact]
    public async Task Join_leave_members_verify_trust_map_to_their_commands_and_each_answer_finds_its_request()
    {
        Start();
        _session.Tell(new ReadyEvent("alice", "lobby", "fp"));
        Assert.Equal("ready", (await NextAsync()).GetProperty("method").GetString());

        Send("""{"jsonrpc":"2.0","id":1,"method":"join","params":{"room":"games"}}""");
        Send("""{"jsonrpc":"2.0","id":2,"method":"verify","params":{"name":"Bob"}}""");
        Send("""{"jsonrpc":"2.0","id":3,"method":"trust","params":{"name":"carol"}}""");
        Send("""{"jsonrpc":"2.0","id":4,"method":"members","params":{"room":"lobby"}}""");
        Send("""{"jsonrpc":"2.0","id":5,"method":"leave","params":{"room":"lobby"}}""");
        Assert.Equal(new UserCommand.Join("games"), (await CommandAsync()).What);
        Assert.Equal(new UserCommand.Verify("bob"), (await CommandAsync()).What);
        Assert.Equal(new UserCommand.Trust("carol"), (await CommandAsync()).What);
        var who = await CommandAsync();
        Assert.Equal((new UserCommand.Who(), "lobby"), (who.What, who.Room));
        Assert.Equal(new UserCommand.Leave("lobby"), (await CommandAsync()).What);

        // Answers arrive in another order than the requests; each finds its own.
        _session.Tell(new TrustedEvent("carol"));
        _session.Tell(new MembersEvent("lobby", ["alice", "bob"]));
        _session.Tell(new SafetyNumberEvent("bob", "12345"));
        _session.Tell(new RoomExitedEvent("lobby"));
        _session.Tell(new RoomEnteredEvent("games"));
        var answers = new Dictionary<int, JsonElement>();
        while (answers.Count < 5)
        {
            var line = await NextAsync();
            if (line.TryGetProperty("id", out var id))
                answers[id.GetInt32()] = line.GetProperty("result");
        }
        Assert.Equal("games", answers[1].GetProperty("room").GetString());
        Assert.Equal("12345", answers[2].GetProperty("safety_number").GetString());
        Assert.Equal("carol", answers[3].GetProperty("name").GetString());
        Assert.Equal(["alice", "bob"], answers[4].GetProperty("members").EnumerateArray().Select(m => m.GetString()));
        Assert.Equal("lobby", answers[5].GetProperty("room").GetString());

        Send("""{"jsonrpc":"2.0","id":6,"method":"rooms"}""");
        JsonElement rooms;
        do
            rooms = await NextAsync();
        while (!rooms.TryGetProperty("id", out _));
        Assert.Equal(["games"], rooms.GetProperty("result").GetProperty("rooms").EnumerateArray().Select(r => r.GetString()));
    }

    [Fact]
    public async Task A_refused_command_is_an_error_answer_with_the_request_id_and_a_documented_code()
    {
        Start();
        Send("""{"jsonrpc":"2.0","id":"x","method":"send","params":{"room":"nowhere","text":"hi"}}""");
        var command = await CommandAsync();
        _session.Tell(new ErrorEvent(ErrorCodes.NotInRoom, "you are not in room nowhere", command.Tag));
        var answer = await ErrorAsync(JsonRpcErrors.For(ErrorCodes.NotInRoom));
        Assert.Equal("x", answer.GetProperty("id").GetString());
        Assert.Equal(ErrorCodes.NotInRoom, answer.GetProperty("error").GetProperty("data").GetProperty("code").GetString());
        Assert.NotEqual(JsonRpcErrors.OtherClientError, JsonRpcErrors.For(ErrorCodes.NotInRoom));

        // An error nobody asked for is a notification.
        _session.Tell(new ErrorEvent(ErrorCodes.DecryptFailed, "could not decrypt"));
        var note = await NextAsync();
        Assert.Equal("error", note.GetProperty("method").GetString());
        Assert.Equal(ErrorCodes.DecryptFailed, note.GetProperty("params").GetProperty("code").GetString());
    }

    [Theory]
    [InlineData("{not json", JsonRpcErrors.ParseError, null)]
    [InlineData("", JsonRpcErrors.ParseError, null)]
    [InlineData("""[{"jsonrpc":"2.0","id":1,"method":"rooms"}]""", JsonRpcErrors.InvalidRequest, null)]
    [InlineData("42", JsonRpcErrors.InvalidRequest, null)]
    [InlineData("""{"jsonrpc":"2.0","id":{"a":1},"method":"rooms"}""", JsonRpcErrors.InvalidRequest, null)]
    [InlineData("""{"jsonrpc":"1.0","id":7,"method":"rooms"}""", JsonRpcErrors.InvalidRequest, "7")]
    [InlineData("""{"jsonrpc":"2.0","id":7,"method":3}""", JsonRpcErrors.InvalidRequest, "7")]
    [InlineData("""{"jsonrpc":"2.0","id":7,"method":"rooms","params":"x"}""", JsonRpcErrors.InvalidRequest, "7")]
    [InlineData("""{"jsonrpc":"2.0","id":"q","method":"explode"}""", JsonRpcErrors.MethodNotFound, "\"q\"")]
    [InlineData("""{"jsonrpc":"2.0","id":8,"method":"send","params":{"room":"lobby"}}""", JsonRpcErrors.InvalidParams, "8")]
    [InlineData("""{"jsonrpc":"2.0","id":8,"method":"send","params":{"text":"hi"}}""", JsonRpcErrors.InvalidParams, "8")]
    [InlineData("""{"jsonrpc":"2.0","id":8,"method":"send","params":{"room":"lobby","text":5}}""", JsonRpcErrors.InvalidParams, "8")]
    [InlineData("""{"jsonrpc":"2.0","id":8,"method":"send","params":["lobby","hi"]}""", JsonRpcErrors.InvalidParams, "8")]
    [InlineData("""{"jsonrpc":"2.0","id":8,"method":"join","params":{"room":"no room!"}}""", JsonRpcErrors.InvalidParams, "8")]
    [InlineData("""{"jsonrpc":"2.0","id":8,"method":"verify","params":{}}""", JsonRpcErrors.InvalidParams, "8")]
    [InlineData("""{"jsonrpc":"2.0","id":8,"method":"trust","params":{"name":"\ud800"}}""", JsonRpcErrors.InvalidParams, "8")]
    [InlineData("""{"jsonrpc":"2.0","id":8,"method":"members","params":{"room":"lobby"}}""", -32010, "8")]
    [InlineData("""{"jsonrpc":"2.0","id":8,"method":"\udc00"}""", JsonRpcErrors.InvalidRequest, "8")]
    [InlineData("""{"jsonrpc":"2.0","id":"\ud800","method":"explode"}""", JsonRpcErrors.MethodNotFound, "\"\\ud800\"")]
    [InlineData("""{"jsonrpc":"2.0","id":9,"method":"history","params":{"room":"lobby"}}""", JsonRpcErrors.NotKept, "9")]
    public async Task Malformed_input_gets_the_right_error_with_whatever_id_could_be_read_and_nothing_reaches_the_chat_actor(string line, int code, string? rawId)
    {
        Start();
        Send(line);
        var answer = await ErrorAsync(code);
        Assert.Equal(rawId ?? "null", answer.GetProperty("id").GetRawText());

        // The session goes on, and the bad line sent nothing: the next command is the first the chat actor gets.
        Send("""{"jsonrpc":"2.0","id":1,"method":"join","params":{"room":"next"}}""");
        Assert.Equal(new UserCommand.Join("next"), (await CommandAsync()).What);
    }

    [Fact]
    public async Task A_request_without_id_is_carried_out_and_never_answered()
    {
        Start();
        Send("""{"jsonrpc":"2.0","method":"send","params":{"room":"lobby","text":"fire and forget"}}""");
        Send("""{"jsonrpc":"2.0","method":"explode"}""");
        var command = await CommandAsync();
        _session.Tell(new SentEvent("m1", "lobby", null, 1, command.Tag));
        var line = await NextAsync();
        Assert.Equal("sent", line.GetProperty("method").GetString());
        Assert.False(line.TryGetProperty("id", out _));
    }

    [Fact]
    public async Task Pending_requests_are_bounded_and_one_never_answered_gets_an_error_in_the_end()
    {
        Start(new Rpc.Limits(1024, MaxPending: 2, AnswerTimeout: TimeSpan.FromMilliseconds(300)));
        Send("""{"jsonrpc":"2.0","id":1,"method":"join","params":{"room":"a"}}""");
        Send("""{"jsonrpc":"2.0","id":2,"method":"join","params":{"room":"b"}}""");
        Send("""{"jsonrpc":"2.0","id":3,"method":"join","params":{"room":"c"}}""");
        Assert.Equal(3, (await ErrorAsync(JsonRpcErrors.TooManyPending)).GetProperty("id").GetInt32());
        await CommandAsync();
        await CommandAsync();

        var expired = new[] { await ErrorAsync(JsonRpcErrors.NoAnswer), await ErrorAsync(JsonRpcErrors.NoAnswer) };
        Assert.Equal([1, 2], expired.Select(e => e.GetProperty("id").GetInt32()).Order());

        // Room again once they are answered.
        Send("""{"jsonrpc":"2.0","id":4,"method":"join","params":{"room":"d"}}""");
        Assert.Equal(new UserCommand.Join("d"), (await CommandAsync()).What);
    }

    [Fact]
    public async Task A_line_too_long_is_an_invalid_request_and_the_reader_skips_it_to_the_next_line()
    {
        Start();
        _session.Tell(new Rpc.LineTooLong());
        Assert.Equal("null", (await ErrorAsync(JsonRpcErrors.InvalidRequest)).GetProperty("id").GetRawText());

        var reader = new BoundedLineReader(new StringReader(new string('x', 100_000) + "\nshort\r\n" + new string('y', 65) + "\r\nlast"), 64);
        Assert.Same(BoundedLineReader.TooLong, reader.ReadLine());
        Assert.Equal("short", reader.ReadLine());
        Assert.Same(BoundedLineReader.TooLong, reader.ReadLine());
        Assert.Equal("last", reader.ReadLine());
        Assert.Null(reader.ReadLine());
    }

    [Fact]
    public async Task A_received_message_is_a_notification_with_id_sender_room_and_time_and_its_text_is_escaped_data()
    {
        Start();
        _session.Tell(new MessageEvent("lobby", "bob", "\u001b[2Jhi\nthere", false, DateTimeOffset.UnixEpoch));
        _session.Tell(new MessageEvent("lobby", "bob", "again", true, DateTimeOffset.UnixEpoch));
        var line = await _out.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(15));
        Assert.DoesNotContain(line, char.IsControl);
        using var doc = JsonDocument.Parse(line);
        var p = doc.RootElement.GetProperty("params");
        Assert.Equal("message", doc.RootElement.GetProperty("method").GetString());
        Assert.Equal(("lobby", "bob", "\u001b[2Jhi\nthere"), (p.GetProperty("room").GetString(), p.GetProperty("from").GetString(), p.GetProperty("text").GetString()));
        var first = p.GetProperty("id").GetString();
        Assert.Matches("^r[0-9a-f]{16}$", first);
        Assert.True(p.TryGetProperty("time", out _));
        var second = (await NextAsync()).GetProperty("params").GetProperty("id").GetString();
        Assert.Matches("^r[0-9a-f]{16}$", second);
        Assert.NotEqual(first, second);
    }

    [Fact]
    public async Task A_reader_that_falls_behind_loses_lines_not_memory_and_is_told_how_many()
    {
        var small = Channel.CreateBounded<string>(new BoundedChannelOptions(2) { FullMode = BoundedChannelFullMode.Wait });
        _session = Sys.ActorOf(Rpc.Props(Rpc.Limits.Default, small.Writer, _exit, _chat.Ref));
        for (var i = 0; i < 5; i++)
            _session.Tell(new MemberJoinedEvent("lobby", $"n{i}"));
        Send("""{"jsonrpc":"2.0","id":1,"method":"join","params":{"room":"next"}}""");
        await CommandAsync(); // every line before it was handled
        Assert.Equal(2, small.Reader.Count);
        await small.Reader.ReadAsync();
        await small.Reader.ReadAsync();

        _session.Tell(new MemberJoinedEvent("lobby", "late"));
        using var dropped = JsonDocument.Parse(await small.Reader.ReadAsync());
        Assert.Equal("dropped", dropped.RootElement.GetProperty("method").GetString());
        Assert.Equal(3, dropped.RootElement.GetProperty("params").GetProperty("lines").GetInt32());
        using var late = JsonDocument.Parse(await small.Reader.ReadAsync());
        Assert.Equal("late", late.RootElement.GetProperty("params").GetProperty("name").GetString());
    }

    [Fact]
    public async Task End_of_input_goes_to_the_chat_actor_and_stopping_answers_what_waits_then_ends_the_output()
    {
        Start();
        Send("""{"jsonrpc":"2.0","id":1,"method":"verify","params":{"name":"bob"}}""");
        await CommandAsync();
        _session.Tell(new Rpc.EndOfInput());
        await _chat.ExpectMsgAsync<ChatClient.EndOfInput>();
        _session.Tell(new StoppedEvent(0, "done"));
        Assert.Equal(1, (await ErrorAsync(JsonRpcErrors.NoAnswer)).GetProperty("id").GetInt32());
        Assert.Equal("stopped", (await NextAsync()).GetProperty("method").GetString());
        Assert.Equal(0, await _exit.Task.WaitAsync(TimeSpan.FromSeconds(15)));
        await _out.Reader.Completion.WaitAsync(TimeSpan.FromSeconds(15));
    }
}
