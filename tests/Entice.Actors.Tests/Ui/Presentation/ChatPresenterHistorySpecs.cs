using System.Security.Cryptography;
using Entice.Client;
using Entice.Client.History;
using Entice.ClientNode.Ui.Presentation;
using Entice.Tests.Support;

namespace Entice.Tests.Ui.Presentation;

/// <summary>The kept history as the terminal UI uses it: kept, loaded after a restart, /search, /forget.</summary>
public sealed class ChatPresenterHistorySpecs : IDisposable
{
    private static readonly DateTimeOffset Noon = PresenterFixture.Noon;
    private readonly TempDirs _dirs = new();
    private readonly string _dir;
    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);

    public ChatPresenterHistorySpecs() => _dir = _dirs.New();

    public void Dispose() => _dirs.Dispose();

    // A run of the UI: a presenter with the store's history, until the writer is closed.
    private sealed class Run(HistoryStore store, HistoryWriter writer, ChatPresenter presenter) : IAsyncDisposable
    {
        public ChatPresenter P { get; } = presenter;

        public HistoryStore Store { get; } = store;

        public Task Flush() => writer.FlushAsync();

        public async ValueTask DisposeAsync()
        {
            await writer.DisposeAsync();
            Store.Dispose();
        }
    }

    private Run Start(bool ready = true)
    {
        var store = HistoryStore.Open(_dir, _key, new HistorySettings());
        var writer = new HistoryWriter(store);
        var p = new ChatPresenter("alice", "127.0.0.1:42000", () => Noon, TimeZoneInfo.Utc);
        p.AttachHistory(writer, store.LoadAll());
        if (ready)
        {
            p.Apply(new ReadyEvent("alice", "lobby", "d672 853a 5b8b ba50 c790 8f22 15d7 1104"));
            p.Apply(new MemberJoinedEvent("lobby", "bob"));
        }
        return new Run(store, writer, p);
    }

    private static ChatClient.Command Sent(IReadOnlyList<InputAction> actions) => PresenterFixture.Sent(actions);

    /// <summary>
    /// Issue 17: a message is shown before its key state is saved; if the client dies in between, the same
    /// envelope can come again after the restart (and decrypts again from the older state). The pane and the kept
    /// history show it once; another envelope from bob, or the same id from carol, is a new message.
    /// </summary>
    [Fact]
    public async Task A_message_kept_before_a_crash_is_not_shown_or_kept_again_when_its_envelope_comes_again()
    {
        await using (var first = Start())
        {
            first.P.Apply(new MessageEvent("lobby", "bob", "only once", false, Noon.AddMinutes(-2)) { EnvelopeId = 42 });
            first.P.Apply(new MessageEvent("lobby", "bob", "direct once", true, Noon.AddMinutes(-1)) { EnvelopeId = 7 });
        }
        await using var second = Start();
        second.P.Apply(new MessageEvent("lobby", "bob", "only once", false, Noon.AddMinutes(-2)) { EnvelopeId = 42 });
        second.P.Apply(new MessageEvent("lobby", "bob", "direct once", true, Noon.AddMinutes(-1)) { EnvelopeId = 7 });
        second.P.Apply(new MessageEvent("lobby", "carol", "carol's own", false, Noon) { EnvelopeId = 42 });
        second.P.Apply(new MessageEvent("lobby", "bob", "next", false, Noon) { EnvelopeId = 43 });

        var room = second.P.Conversations.Single(c => !c.IsDirect && c.Title.Contains("lobby", StringComparison.Ordinal));
        Assert.Single(room.Lines, l => l.Plain.EndsWith("bob: only once", StringComparison.Ordinal));
        Assert.Single(second.P.Conversations.Single(c => c.IsDirect).Lines, l => l.Plain.EndsWith("bob: direct once", StringComparison.Ordinal));
        Assert.Equal(["only once", "carol's own", "next"], second.P.KeptOf(KeptMessage.Room("lobby")).Select(m => m.Text));
        await second.Flush();
        Assert.Equal(["only once", "carol's own", "next"], second.Store.Read(KeptMessage.Room("lobby")).Select(m => m.Text));
    }

    [Fact]
    public async Task What_a_pane_showed_is_there_again_after_a_restart()
    {
        await using (var first = Start())
        {
            first.P.Apply(new MessageEvent("lobby", "bob", "morning alice", false, Noon.AddMinutes(-3)));
            var line = Sent(first.P.Submit("morning bob"));
            first.P.Apply(new SentEvent("e1", "lobby", null, 1, line.Tag));
            first.P.Apply(new DeliveredEvent("e1", "bob", line.Tag));
            first.P.Apply(new MessageEvent("lobby", "bob", "psst", true, Noon.AddMinutes(-1)));
            first.P.Apply(new ErrorEvent("disconnected", "system noise is not kept"));
        }
        await using var second = Start();
        var plain = second.P.Lines.Select(l => l.Plain).ToList();
        Assert.Contains("11:57 » bob: morning alice", plain); // still marked as a mention
        Assert.Contains("12:00 ▸ alice: morning bob ✓✓", plain);
        Assert.DoesNotContain(plain, l => l.Contains("system noise", StringComparison.Ordinal));
        Assert.Contains(plain, l => l.Contains("2 kept message(s) above", StringComparison.Ordinal));
        // The direct conversation is open again with its message; loading counts nothing as unread.
        var dm = Assert.Single(second.P.Conversations, c => c.IsDirect);
        Assert.Equal("@bob", dm.Title);
        Assert.Contains(dm.Lines, l => l.Plain == "11:59   bob: psst");
        Assert.All(second.P.Conversations, c => Assert.Equal(0, c.Unread));
    }

    [Fact]
    public async Task Typed_lines_come_back_for_Up_and_Ctrl_R_after_a_restart()
    {
        await using (var first = Start())
        {
            first.P.Submit("the first line");
            first.P.Submit("/who");
        }
        await using var second = Start();
        Assert.Equal(["the first line", "/who"], second.P.History.Lines);
        Assert.Equal("/who", second.P.History.Older(""));
    }

    [Fact]
    public async Task Search_lists_matching_kept_messages_with_time_and_sender_until_Esc()
    {
        await using (var first = Start())
        {
            first.P.Apply(new MessageEvent("lobby", "bob", "Lunch at noon?", false, Noon.AddDays(-2)));
            first.P.Apply(new MessageEvent("lobby", "bob", "something else", false, Noon.AddDays(-1)));
        }
        await using var second = Start();
        second.P.Submit("yes, LUNCH sounds good");
        Assert.Empty(second.P.Submit("/search lunch"));
        Assert.True(second.P.IsSearching);
        Assert.Equal(["2026-11-24 12:00   bob: Lunch at noon?", "2026-11-26 12:00 ▸ alice: yes, LUNCH sounds good"], second.P.Lines.Select(l => l.Plain));
        Assert.Equal("#lobby: \"lunch\", 2 found (Esc: back)", second.P.PaneTitle);
        second.P.EndSearch();
        Assert.False(second.P.IsSearching);
        Assert.Equal("#lobby", second.P.PaneTitle);
        Assert.Contains(second.P.Lines, l => l.Plain.Contains("something else", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Search_says_when_nothing_matches_and_how_to_use_it()
    {
        await using var run = Start();
        run.P.Submit("/search nowhere");
        Assert.Contains("Nothing kept in #lobby contains \"nowhere\"", Assert.Single(run.P.Lines).Text, StringComparison.Ordinal);
        run.P.EndSearch();
        run.P.Submit("/search");
        Assert.Contains("usage: /search TEXT", run.P.Lines[^1].Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Forget_asks_first_then_deletes_the_conversations_kept_history()
    {
        await using (var first = Start())
        {
            first.P.Apply(new MessageEvent("lobby", "bob", "forget me", false, Noon));
            var ask = Assert.IsType<ConfirmForgetAction>(Assert.Single(first.P.Submit("/forget")));
            Assert.Equal("#lobby", ask.Title);
            await first.Flush();
            Assert.Single(first.Store.Read("#lobby"));
            first.P.Forget(ask.Conversation);
            await first.Flush();
            Assert.Empty(first.Store.Read("#lobby"));
            Assert.Contains("is deleted", first.P.Lines[^1].Text, StringComparison.Ordinal);
            first.P.Submit("/search forget");
            Assert.Contains("Nothing kept", first.P.Lines[0].Text, StringComparison.Ordinal);
        }
        await using var second = Start();
        Assert.DoesNotContain(second.P.Lines, l => l.Text.Contains("forget me", StringComparison.Ordinal));
    }

    [Fact]
    public void Without_a_kept_history_search_and_forget_say_so()
    {
        var p = PresenterFixture.Alice();
        Assert.Empty(p.Submit("/search x"));
        Assert.Contains("No history is kept", p.Lines[^1].Text, StringComparison.Ordinal);
        Assert.Empty(p.Submit("/forget"));
        Assert.Contains("No history is kept", p.Lines[^1].Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Help_lists_search_forget_and_Ctrl_R()
    {
        Assert.Contains("/search TEXT", HelpText.RenderCommands(), StringComparison.Ordinal);
        Assert.Contains("/forget", HelpText.RenderCommands(), StringComparison.Ordinal);
        Assert.Contains("Ctrl+R", HelpText.RenderKeys(), StringComparison.Ordinal);
        Assert.NotNull(HelpText.For("search"));
        Assert.True(HelpText.RenderCommands().Split('\n').Length <= 19, "the commands page must fit 24 rows");
    }
}
