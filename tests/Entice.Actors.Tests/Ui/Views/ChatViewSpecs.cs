using Entice.Wire;
using System.Text.Json;
using Entice.Client;
using Entice.ClientNode.Ui.Views;

namespace Entice.Tests.Ui.Views;

public sealed class ChatViewSpecs
{
    [Fact]
    public void Json_view_writes_one_object_per_line_with_the_documented_fields()
    {
        var output = new StringWriter();
        var view = new JsonChatView(output);

        view.Show(new ReadyEvent("alice", "lobby", "ab12 cd34"));
        view.Show(new MessageEvent("lobby", "bob", "hi \"there\"\nsecond line 🙂", true, DateTimeOffset.UnixEpoch));
        view.Show(new MembersEvent("lobby", ["alice", "bob"]));
        view.Show(new ErrorEvent(ErrorCodes.NameTaken, "the name alice is already in use"));

        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, lines.Length);
        using var ready = JsonDocument.Parse(lines[0]);
        Assert.Equal("ready", ready.RootElement.GetProperty("event").GetString());
        Assert.Equal("ab12 cd34", ready.RootElement.GetProperty("fingerprint").GetString());
        using var message = JsonDocument.Parse(lines[1]);
        Assert.Equal("hi \"there\"\nsecond line 🙂", message.RootElement.GetProperty("text").GetString());
        Assert.True(message.RootElement.GetProperty("direct").GetBoolean());
        Assert.Equal("bob", message.RootElement.GetProperty("from").GetString());
        using var members = JsonDocument.Parse(lines[2]);
        Assert.Equal(2, members.RootElement.GetProperty("members").GetArrayLength());
        using var error = JsonDocument.Parse(lines[3]);
        Assert.Equal(ErrorCodes.NameTaken, error.RootElement.GetProperty("code").GetString());
    }

    [Fact]
    public void A_message_with_your_name_is_marked_as_a_mention_in_line_and_json_modes_and_your_own_is_not()
    {
        var lineOut = new StringWriter();
        var jsonOut = new StringWriter();
        IChatView[] views = [new LineChatView(lineOut), new JsonChatView(jsonOut)];
        foreach (var view in views)
        {
            view.Show(new ReadyEvent("alice", "lobby", "ab12 cd34"));
            view.Show(new MessageEvent("lobby", "bob", "lunch, Alice?", false, DateTimeOffset.UnixEpoch));
            view.Show(new MessageEvent("lobby", "bob", "malice aforethought", false, DateTimeOffset.UnixEpoch));
            view.Show(new MessageEvent("lobby", "alice", "alice here", false, DateTimeOffset.UnixEpoch));
        }

        var lines = lineOut.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries)[2..];
        Assert.Equal(["[lobby] » bob: lunch, Alice?", "[lobby] bob: malice aforethought", "[lobby] alice: alice here"], lines);
        var mentions = jsonOut.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries)[1..]
            .Select(l => { using var d = JsonDocument.Parse(l); return d.RootElement.GetProperty("mention").GetBoolean(); });
        Assert.Equal([true, false, false], mentions);
    }

    [Fact]
    public void Line_view_shows_messages_as_room_name_text()
    {
        var output = new StringWriter();
        new LineChatView(output).Show(new MessageEvent("lobby", "bob", "hello", false, DateTimeOffset.UnixEpoch));

        Assert.Equal("[lobby] bob: hello", output.ToString().TrimEnd());
    }

    [Fact]
    public void A_message_event_printed_for_diagnostics_does_not_contain_its_text()
    {
        var e = new MessageEvent("lobby", "bob", "top secret", false, DateTimeOffset.UnixEpoch);

        Assert.DoesNotContain("top secret", e.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Gaps_are_a_json_event_and_a_line_and_peer_names_never_reach_the_terminal_raw()
    {
        var json = new StringWriter();
        new JsonChatView(json).Show(new GapEvent("bob", 2, false));
        using var gap = JsonDocument.Parse(json.ToString());
        Assert.Equal(("gap", "bob", 2ul, false), (gap.RootElement.GetProperty("event").GetString(), gap.RootElement.GetProperty("from").GetString(),
            gap.RootElement.GetProperty("missing").GetUInt64(), gap.RootElement.GetProperty("late").GetBoolean()));

        var lines = new StringWriter();
        var view = new LineChatView(lines);
        view.Show(new GapEvent("bob", 2, false));
        view.Show(new MemberJoinedEvent("lobby\u001b[2J", "eve\u001b]0;x\u0007"));
        view.Show(new MessageEvent("lobby", "bob", "one\ntwo", false, DateTimeOffset.UnixEpoch));
        var shown = lines.ToString();
        Assert.Contains("2 message(s) from bob are missing", shown, StringComparison.Ordinal);
        Assert.DoesNotContain('\u001b', shown);
        Assert.Contains("[lobby] bob: one\n    two", shown, StringComparison.Ordinal);
    }
}
