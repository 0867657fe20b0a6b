using Entice.Wire;
using Entice.Client;
using Entice.ClientNode.Ui.Presentation;

namespace Entice.Tests.Ui.Presentation;

public sealed class ChatPresenterSpecs
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);
    private const string Digits = "416804006992419915119567379569824829996131280632816396497222";

    private DateTimeOffset _now = Noon;

    private ChatPresenter Alice()
    {
        var p = new ChatPresenter("alice", "127.0.0.1:42000", () => _now, TimeZoneInfo.Utc);
        p.Apply(new ReadyEvent("alice", "lobby", "d672 853a 5b8b ba50 c790 8f22 15d7 1104"));
        p.Apply(new MemberJoinedEvent("lobby", "bob"));
        return p;
    }

    private static ChatClient.Command Sent(IReadOnlyList<InputAction> actions) =>
        Assert.IsType<InputAction.Send>(Assert.Single(actions)).Command;

    [Fact]
    public void A_message_shows_time_sender_and_a_day_separator_first()
    {
        var p = Alice();
        p.Apply(new MessageEvent("lobby", "bob", "hi", false, Noon.AddMinutes(5)));
        var lines = p.Lines.SkipWhile(l => l.Kind != PaneLineKind.DaySeparator).ToList();
        Assert.Equal("──── Thursday 26 November 2026 ────", lines[0].Text);
        Assert.Equal("12:05   bob: hi", lines[1].Plain);
        Assert.False(lines[1].Own);
    }

    [Fact]
    public void Own_messages_are_marked_and_shown_at_once()
    {
        var p = Alice();
        Sent(p.Submit("hello"));
        var own = p.Lines[^1];
        Assert.True(own.Own);
        Assert.Equal($"12:00 {PaneLine.OwnMarker} alice: hello", own.Plain);
    }

    [Fact]
    public void A_new_day_gets_a_new_separator_and_the_same_day_does_not()
    {
        var p = Alice();
        p.Apply(new MessageEvent("lobby", "bob", "a", false, Noon));
        p.Apply(new MessageEvent("lobby", "bob", "b", false, Noon.AddHours(1)));
        p.Apply(new MessageEvent("lobby", "bob", "c", false, Noon.AddDays(1)));
        var separators = p.Lines.Where(l => l.Kind == PaneLineKind.DaySeparator).Select(l => l.Text).ToList();
        Assert.Equal(["──── Thursday 26 November 2026 ────", "──── Friday 27 November 2026 ────"], separators);
    }

    [Fact]
    public void Times_are_shown_in_the_local_zone()
    {
        var zone = TimeZoneInfo.CreateCustomTimeZone("plus2", TimeSpan.FromHours(2), "plus2", "plus2");
        Assert.Equal("14:00", PaneFormat.Time(Noon, zone));
        Assert.Equal("23:30", PaneFormat.Time(new DateTimeOffset(2026, 1, 1, 23, 30, 0, TimeSpan.Zero), TimeZoneInfo.Utc));
    }

    [Fact]
    public void A_name_always_gets_the_same_colour()
    {
        Assert.Equal(NameColors.IndexFor("bob", 10), NameColors.IndexFor("bob", 10));
        Assert.Equal(NameColors.IndexFor("bob", 10), NameColors.IndexFor(new string("bob".ToCharArray()), 10));
        // FNV-1a of "bob" is fixed: the same on every run and machine (unlike string.GetHashCode).
        Assert.Equal(0x5C2A16DAu % 10, (uint)NameColors.IndexFor("bob", 10));
        Assert.All(new[] { "alice", "bob", "carol", "dave", "José", "李" }, n => Assert.InRange(NameColors.IndexFor(n, 7), 0, 6));
        Assert.True(new[] { "alice", "bob", "carol", "dave", "erin", "frank" }.Select(n => NameColors.IndexFor(n, 10)).Distinct().Count() > 1);
    }

    [Fact]
    public void Unread_counts_per_conversation_and_reset_on_switch()
    {
        var p = Alice();
        p.Apply(new RoomEnteredEvent("games"));
        Assert.Equal("games", p.Selected!.Name);
        p.Apply(new MessageEvent("lobby", "bob", "1", false, Noon));
        p.Apply(new MessageEvent("lobby", "bob", "2", false, Noon));
        p.Apply(new MessageEvent("lobby", "bob", "psst", true, Noon));
        p.Apply(new MessageEvent("games", "bob", "here", false, Noon));
        Assert.Equal([("#lobby", 2), ("#games", 0), ("@bob", 1)], p.Conversations.Select(c => (c.Title, c.Unread)));

        p.Select(0);
        Assert.Equal(0, p.Conversations[0].Unread);
        p.SelectNext();
        p.SelectNext();
        Assert.Equal("@bob", p.Selected!.Title);
        Assert.All(p.Conversations, c => Assert.Equal(0, c.Unread));
        p.SelectNext();
        Assert.Equal("#lobby", p.Selected!.Title);
        p.SelectPrevious();
        Assert.Equal("@bob", p.Selected!.Title);
    }

    [Fact]
    public void Members_are_online_offline_and_carry_their_key_state()
    {
        var p = Alice();
        p.Apply(new MemberJoinedEvent("lobby", "carol"));
        Assert.Equal(["alice", "bob", "carol"], p.Members.Select(m => m.Name));
        Assert.True(p.Members[0].IsMe);
        Assert.Equal("unverified", p.Members[1].StateText);

        p.Apply(new MemberLeftEvent("lobby", "carol"));
        var carol = p.Members.Single(m => m.Name == "carol");
        Assert.False(carol.Online);
        Assert.Equal("offline", carol.StateText);

        p.Apply(new KeyChangedEvent("bob"));
        var bob = p.Members.Single(m => m.Name == "bob");
        Assert.Equal((KeyState.Changed, "!", "KEY CHANGED"), (bob.Key, bob.KeyMark, bob.StateText));

        p.Apply(new TrustedEvent("bob"));
        Assert.Equal(KeyState.Trusted, p.Members.Single(m => m.Name == "bob").Key);

        Assert.Equal(new UserCommand.MarkVerified("carol"), Sent(p.MarkVerified("carol")).What);
        p.Apply(new VerifiedEvent("carol")); // recorded in the key directory by the crypto actor
        Assert.Equal((KeyState.Verified, "✓"), (p.KeyOf("carol"), p.Members.Single(m => m.Name == "carol").KeyMark));
    }

    [Fact]
    public void Who_marks_the_listed_members_online_and_the_others_offline()
    {
        var p = Alice();
        p.Apply(new MemberJoinedEvent("lobby", "carol"));
        p.Apply(new MembersEvent("lobby", ["alice", "carol"]));
        Assert.False(p.Members.Single(m => m.Name == "bob").Online);
        Assert.True(p.Members.Single(m => m.Name == "carol").Online);
    }

    [Fact]
    public void A_changed_key_raises_a_pending_warning_and_accepting_sends_trust()
    {
        var p = Alice();
        var effect = Assert.Single(p.Apply(new KeyChangedEvent("bob")));
        Assert.Equal("bob", Assert.IsType<UiEffect.WarnKeyChanged>(effect).Peer);
        Assert.Equal(["bob"], p.PendingKeyWarnings);
        Assert.Contains(p.Lines, l => l.Kind == PaneLineKind.Error && l.Text.Contains("Nothing is sent to bob", StringComparison.Ordinal));

        var compare = Assert.IsType<InputAction.Send>(p.CompareKey("bob")).Command;
        Assert.Equal((new UserCommand.Verify("bob"), "lobby"), (compare.What, compare.Room));
        Assert.Equal(["bob"], p.PendingKeyWarnings);

        var accept = Assert.IsType<InputAction.Send>(p.AcceptKeyChange("bob")).Command;
        Assert.Equal(new UserCommand.Trust("bob"), accept.What);
        Assert.Empty(p.PendingKeyWarnings);
        Assert.Equal(KeyState.Changed, p.KeyOf("bob")); // until the chat actor confirms
        p.Apply(new TrustedEvent("bob"));
        Assert.Equal(KeyState.Trusted, p.KeyOf("bob"));
    }

    [Fact]
    public void Dismissing_the_warning_keeps_the_key_marked_changed()
    {
        var p = Alice();
        p.Apply(new KeyChangedEvent("bob"));
        p.DismissKeyWarning("bob");
        Assert.Empty(p.PendingKeyWarnings);
        Assert.Equal(KeyState.Changed, p.KeyOf("bob"));
    }

    [Fact]
    public void Matching_numbers_for_a_changed_key_accept_it_and_mark_it_verified()
    {
        var p = Alice();
        p.Apply(new KeyChangedEvent("bob"));
        var show = Assert.IsType<UiEffect.ShowSafetyNumber>(Assert.Single(p.Apply(new SafetyNumberEvent("bob", Digits))));
        Assert.True(show.KeyChanged);
        Assert.Equal(12, show.Groups.Count);
        Assert.All(show.Groups, g => Assert.Equal(5, g.Length));
        Assert.Equal(Digits, string.Concat(show.Groups));

        var actions = p.MarkVerified("bob");
        Assert.Equal<UserCommand>([new UserCommand.Trust("bob"), new UserCommand.MarkVerified("bob")], actions.Cast<InputAction.Send>().Select(a => a.Command.What));
        p.Apply(new TrustedEvent("bob"));
        Assert.Equal(KeyState.Trusted, p.KeyOf("bob"));
        p.Apply(new VerifiedEvent("bob"));
        Assert.Equal(KeyState.Verified, p.KeyOf("bob"));
    }

    [Fact]
    public void Typed_text_goes_to_the_selected_room()
    {
        var p = Alice();
        p.Apply(new RoomEnteredEvent("games"));
        p.Select(0);
        var line = Sent(p.Submit("hi all"));
        Assert.Equal((new UserCommand.Say("hi all"), "lobby"), (line.What, line.Room));
        Assert.Equal("hi all", p.Conversations[0].Lines[^1].Text);
        Assert.DoesNotContain(p.Conversations[1].Lines, l => l.Kind == PaneLineKind.Message);
    }

    [Fact]
    public void Typed_text_in_a_direct_conversation_becomes_msg()
    {
        var p = Alice();
        p.Apply(new MessageEvent("lobby", "bob", "psst", true, Noon));
        p.Select(1);
        Assert.Equal("@bob", p.Selected!.Title);
        var line = Sent(p.Submit("hi bob"));
        Assert.Equal((new UserCommand.Direct("bob", "hi bob"), "lobby"), (line.What, line.Room));
        Assert.Equal(new UserCommand.Direct("bob", "//x"), Sent(p.Submit("///x")).What); // a leading / is kept literal
        Assert.True(p.Selected.Lines[^1].Own);
        Assert.True(p.Selected.Lines[^1].Direct);
    }

    [Fact]
    public void Msg_opens_the_direct_conversation_and_shows_the_message_there()
    {
        var p = Alice();
        var line = Sent(p.Submit("/msg bob see you"));
        Assert.Equal(new UserCommand.Direct("bob", "see you"), line.What);
        Assert.Equal("@bob", p.Selected!.Title);
        Assert.Equal("see you", p.Selected.Lines[^1].Text);
    }

    [Fact]
    public void Commands_carry_the_selected_room_and_help_quit_stay_local()
    {
        var p = Alice();
        Assert.Equal((new UserCommand.Who(), "lobby"), (Sent(p.Submit("/who")).What, Sent(p.Submit("/who")).Room));
        Assert.Equal(new UserCommand.Join("games"), Sent(p.Submit("/join games")).What);
        Assert.IsType<InputAction.ShowHelp>(Assert.Single(p.Submit("/help")));
        Assert.IsType<InputAction.Quit>(Assert.Single(p.Submit("/quit")));
        Assert.Empty(p.Submit("   "));
        Assert.Equal(new UserCommand.Say("/literal"), Sent(p.Submit("//literal")).What);
        Assert.Equal("/literal", p.Lines[^1].Text);
    }

    [Fact]
    public void Leaving_a_direct_conversation_closes_it_locally()
    {
        var p = Alice();
        p.Submit("/msg bob hi");
        Assert.Empty(p.Submit("/leave"));
        Assert.Equal(["#lobby"], p.Conversations.Select(c => c.Title));
        Assert.Equal("#lobby", p.Selected!.Title);
    }

    [Fact]
    public void Room_exit_removes_the_room_and_selects_another()
    {
        var p = Alice();
        p.Apply(new RoomEnteredEvent("games"));
        p.Apply(new RoomExitedEvent("games"));
        Assert.Equal(["#lobby"], p.Conversations.Select(c => c.Title));
        Assert.Equal("#lobby", p.Selected!.Title);
    }

    [Fact]
    public void Errors_show_in_the_pane_and_the_status_follows_the_connection()
    {
        var p = new ChatPresenter("alice", "10.0.0.1:42000", () => Noon, TimeZoneInfo.Utc);
        Assert.Contains("connecting", p.StatusText, StringComparison.Ordinal);
        p.Apply(new ReadyEvent("alice", "lobby", "d672 853a 5b8b ba50"));
        Assert.Equal(" 10.0.0.1:42000 │ ● connected │ #lobby │ you: alice d672 853a │ F1 help", p.StatusText);
        p.Apply(new ErrorEvent(ErrorCodes.NoSuchMember, "zed is not in any room you are in; message not sent"));
        Assert.Equal("12:00 ! zed is not in any room you are in; message not sent (no_such_member)", p.Lines[^1].Plain);
        p.Apply(new ErrorEvent(ErrorCodes.Disconnected, "connection lost"));
        Assert.Equal(ConnectionState.Disconnected, p.Connection);
        var close = Assert.IsType<UiEffect.Close>(Assert.Single(p.Apply(new StoppedEvent(3, "connection lost"))));
        Assert.Equal(3, close.ExitCode);
    }

    [Fact]
    public void A_gap_in_a_senders_messages_is_a_line_in_the_pane()
    {
        var p = Alice();
        p.Apply(new GapEvent("bob", 2, Late: false));
        Assert.Equal("12:00 ! 2 message(s) from bob are missing (lost, or held back by the relay).", p.Lines[^1].Plain);
        p.Apply(new GapEvent("bob", 0, Late: true));
        Assert.Contains("arrived out of order", p.Lines[^1].Plain, StringComparison.Ordinal);
    }

    [Fact]
    public void The_status_bar_counts_down_to_the_next_reconnect_and_shows_the_new_server()
    {
        var p = Alice();

        p.Apply(new DisconnectedEvent("the server closed the connection", TimeSpan.FromSeconds(8)));
        _now = Noon.AddSeconds(3);

        Assert.Equal(ConnectionState.Reconnecting, p.Connection);
        Assert.Contains("reconnecting in 5 s", p.StatusText, StringComparison.Ordinal);
        p.Apply(new ReconnectedEvent("127.0.0.1:42001"));
        Assert.Contains("127.0.0.1:42001", p.StatusText, StringComparison.Ordinal);
        Assert.Contains("● connected", p.StatusText, StringComparison.Ordinal);
    }

    [Fact]
    public void An_own_message_is_marked_sent_when_the_server_took_it()
    {
        var p = Alice();
        var line = Sent(p.Submit("hello"));
        Assert.False(p.Lines[^1].Sent);

        p.Apply(new SentEvent("m1", "lobby", null, 1, line.Tag));

        Assert.True(p.Lines[^1].Sent);
        Assert.EndsWith("hello " + PaneLine.SentMark, p.Lines[^1].Plain, StringComparison.Ordinal);

        p.Apply(new DeliveredEvent("m1", "bob", line.Tag));
        Assert.EndsWith("hello " + PaneLine.DeliveredMark, p.Lines[^1].Plain, StringComparison.Ordinal);
    }

    [Fact]
    public void Failed_reconnects_show_in_the_status_bar_and_add_nothing_to_the_pane()
    {
        // The report: each failed reconnect added three lines to the pane.
        var p = Alice();
        var before = p.Lines.Count;
        for (var i = 0; i < 5; i++)
            p.Apply(new DisconnectedEvent("connection refused", TimeSpan.FromSeconds(2)));
        Assert.Equal(before, p.Lines.Count);
        Assert.Contains("reconnecting in 2 s (connection refused)", p.StatusText, StringComparison.Ordinal);
        p.Apply(new ReconnectedEvent("127.0.0.1:42000"));
        Assert.Equal(before, p.Lines.Count);
        Assert.DoesNotContain("refused", p.StatusText, StringComparison.Ordinal);
    }

    [Fact]
    public void Peer_text_names_and_rooms_show_control_escape_and_bidi_characters_never_raw()
    {
        var p = Alice();
        p.Apply(new MessageEvent("lobby", "bob", "\u001b[2Jcleared\u001b]0;title\u0007 \u202Eevil", false, Noon));
        p.Apply(new MemberJoinedEvent("lobby", "m\u202Eallory"));
        p.Apply(new MessageEvent("lobby", "m\u202Eallory", "hi", false, Noon));
        p.Apply(new MessageEvent("r\u001b[31moom", "bob", "x", false, Noon));
        p.Apply(new ErrorEvent(ErrorCodes.BadFrame, "relay says \u001b[2J"));

        var all = string.Join("\n", p.Conversations.SelectMany(c => c.Lines).Select(l => l.Plain)
            .Concat(p.Conversations.Select(c => c.Title)).Concat(p.Members.Select(m => m.Label)));
        Assert.DoesNotContain('\u001b', all);
        Assert.DoesNotContain('\u0007', all);
        Assert.DoesNotContain('\u202E', all);
        Assert.Contains("␛[2Jcleared␛]0;title␇ <U+202E>evil", all, StringComparison.Ordinal);
        Assert.Contains("m<U+202E>allory: hi", all, StringComparison.Ordinal);
        Assert.Contains("#r␛[31moom", all, StringComparison.Ordinal);
    }

    [Fact]
    public void A_multi_line_message_keeps_its_line_feeds_but_not_carriage_returns()
    {
        var p = Alice();
        p.Apply(new MessageEvent("lobby", "bob", "one\ntwo\r\nthree", false, Noon));
        Assert.Equal("one\ntwo␍\nthree", p.Lines[^1].Text);
    }

    [Fact]
    public void A_confirmed_paste_is_one_message_and_none_of_its_lines_runs_as_a_command()
    {
        var p = Alice();
        var line = Sent(p.SubmitMessage("/quit\r\nline two\n/leave\n"));
        Assert.Equal("lobby", line.Room);
        Assert.Equal(new UserCommand.Say("/quit\nline two\n/leave"), line.What);
        Assert.Equal("/quit\nline two\n/leave", p.Lines[^1].Text);
        Assert.True(p.Lines[^1].Own);
    }

    [Fact]
    public void A_confirmed_paste_in_a_direct_conversation_goes_to_that_person()
    {
        var p = Alice();
        p.Apply(new MessageEvent("lobby", "bob", "psst", true, Noon));
        p.Select(p.Conversations.ToList().FindIndex(c => c.IsDirect));
        var line = Sent(p.SubmitMessage("/join x\nsecond"));
        Assert.Equal(new UserCommand.Direct("bob", "/join x\nsecond"), line.What);
    }

    [Fact]
    public void The_paste_preview_counts_lines_and_shows_the_first_few_made_visible()
    {
        var preview = ChatPresenter.PastePreview("a\n\u001b[2Jb\nc\nd\n", maxLines: 2, width: 20);
        Assert.Contains("4 lines", preview, StringComparison.Ordinal);
        Assert.Contains("  ␛[2Jb", preview, StringComparison.Ordinal);
        Assert.Contains("2 more line(s)", preview, StringComparison.Ordinal);
        Assert.DoesNotContain('\u001b', preview);
    }
}
