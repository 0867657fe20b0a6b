using System.Text.Json.Nodes;
using Entice.Web.Tests.Support;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Entice.Web.Tests;

/// <summary>
/// The page against a fake client node (FakeClientNode: the page's files and its JSON-RPC socket
/// routed inside the browser): what a user sees and what the page asks of the client node.
/// </summary>
[Collection("browser")]
public sealed class PageSpecs(BrowserFixture fixture, ITestOutputHelper output) : IAsyncLifetime
{
    private readonly List<string> _problems = [];
    private IBrowserContext? _context;

    private FakeClientNode Node { get; } = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_context is not null)
            await _context.DisposeAsync();
    }

    private async Task<IPage> OpenAsync(int width = 1100, int height = 720, ColorScheme scheme = ColorScheme.Light)
    {
        _context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = width, Height = height },
            ColorScheme = scheme,
        });
        var page = await _context.NewPageAsync();
        page.Console += (_, m) =>
        {
            if (m.Type == "error")
                _problems.Add(m.Text);
        };
        page.PageError += (_, e) => _problems.Add(e);
        await Node.AttachAsync(page);
        await page.GotoAsync(FakeClientNode.Origin + "/#token=" + FakeClientNode.Token);
        await Expect(page.Locator("html")).ToHaveAttributeAsync("data-ready", "1");
        await Expect(page.Locator("html")).ToHaveAttributeAsync("data-history", "1");
        return page;
    }

    private static ILocator Conversation(IPage page, string key) => page.Locator($".conv[data-key='{key}']");

    [BrowserFact]
    public async Task Room_messages_show_sender_time_day_and_ticks_and_peer_text_stays_text()
    {
        var page = await OpenAsync();
        Assert.Equal(["ws://entice.test/rpc"], Node.SocketUrls);
        Assert.Equal(FakeClientNode.Origin + "/", page.Url); // the token left the address bar
        Assert.Equal(FakeClientNode.Secret, await page.EvaluateAsync<string>("() => sessionStorage.getItem('entice-session')"));
        await Expect(page.Locator("#me-name")).ToHaveTextAsync("alice");
        await Expect(page.Locator("#conn")).ToHaveTextAsync("online");
        await Expect(page.Locator("#title")).ToHaveTextAsync("#games");
        await Conversation(page, "#lobby").ClickAsync();
        await Expect(page.Locator("#title")).ToHaveTextAsync("#lobby");

        Node.Message("lobby", "bob", "<img src=x onerror=alert(1)> \u001b[2J\u202Eevil");
        var text = page.Locator(".msg .text").Last;
        await Expect(text).ToHaveTextAsync("<img src=x onerror=alert(1)> ␛[2J<U+202E>evil");
        Assert.Equal(0, await page.Locator("#messages img").CountAsync());
        await Expect(page.Locator(".msg .from").Last).ToHaveTextAsync("bob");
        await Expect(page.Locator(".msg .time").Last).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\d\d:\d\d$"));
        await Expect(page.Locator(".day").First).ToHaveTextAsync("Today");

        // Shift+Enter is a new line, Enter sends the whole text.
        await page.Locator("#input").ClickAsync();
        await page.Keyboard.TypeAsync("first line");
        await page.Keyboard.PressAsync("Shift+Enter");
        await page.Keyboard.TypeAsync("/second line");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator(".msg.own .text")).ToHaveTextAsync("first line\n/second line");
        var send = Assert.Single(Node.Requests("send"));
        Assert.Equal("lobby", (string?)send["params"]!["room"]);
        Assert.Equal("first line\n/second line", (string?)send["params"]!["text"]);
        await Expect(page.Locator("#input")).ToHaveValueAsync("");
        await Expect(page.Locator(".msg.own .ticks")).ToHaveTextAsync("✓");
        Node.Notify("delivered", new { id = "m1", to = "bob", time = DateTimeOffset.UtcNow.ToString("O") });
        await Expect(page.Locator(".msg.own .ticks")).ToHaveTextAsync("✓✓");
        Assert.True(_problems.Count == 0, string.Join("\n", _problems));
    }

    [BrowserFact]
    public async Task Unread_counts_direct_conversations_and_history()
    {
        Node.History["#lobby"] =
        [
            new JsonObject { ["id"] = "m7", ["from"] = "alice", ["text"] = "kept from yesterday", ["direct"] = false, ["own"] = true,
                ["delivery"] = "delivered", ["sent_at"] = DateTimeOffset.Now.AddDays(-1).ToString("O") },
        ];
        Node.Conversations["@dave"] = 3;
        Node.Conversations["#lobby"] = 0;
        var page = await OpenAsync();
        await Expect(Conversation(page, "@dave").Locator(".unread")).ToHaveTextAsync("3");
        await Conversation(page, "#lobby").ClickAsync();
        await Expect(page.Locator(".msg.own .text")).ToHaveTextAsync("kept from yesterday");
        await Expect(page.Locator(".msg.own .ticks")).ToHaveTextAsync("✓✓");
        await Expect(page.Locator(".day").First).ToHaveTextAsync("Yesterday");

        Node.Message("games", "bob", "one");
        Node.Message("games", "bob", "two");
        Node.Message("lobby", "carol", "seen at once");
        var psstAt = DateTimeOffset.UtcNow.AddSeconds(-5);
        var psst = Node.Message("lobby", "carol", "psst", direct: true, at: psstAt);
        // The client node kept it too, under the same id; an equal text from carol at the same time is another message.
        Node.History["@carol"] =
        [
            FakeClientNode.Kept("k7", "carol", "psst", psstAt, direct: true),
            FakeClientNode.Kept("k8", "carol", "earlier", psstAt.AddMinutes(-1), direct: true),
            FakeClientNode.Kept(psst, "carol", "psst", psstAt, direct: true),
        ];
        await Expect(Conversation(page, "#games").Locator(".unread")).ToHaveTextAsync("2");
        await Expect(Conversation(page, "@carol").Locator(".unread")).ToHaveTextAsync("1");
        Assert.Equal(0, await Conversation(page, "#lobby").Locator(".unread").CountAsync());
        await Expect(page).ToHaveTitleAsync("(6) Entice");

        await Conversation(page, "@carol").ClickAsync();
        await Expect(page.Locator("#title")).ToHaveTextAsync("@carol");
        await Expect(page.Locator(".msg .text")).ToHaveTextAsync(["psst", "earlier", "psst"]);
        Assert.Equal(0, await Conversation(page, "@carol").Locator(".unread").CountAsync());
        Assert.Contains(Node.Requests("read"), r => (string?)r["params"]!["with"] == "carol");
        // Another tab read #games: its badge goes here too.
        Node.Notify("read", new { conversation = "#games", time = DateTimeOffset.UtcNow.ToString("O") });
        await Expect(Conversation(page, "#games").Locator(".unread")).ToHaveCountAsync(0);
        await page.Locator("#input").FillAsync("hi carol");
        await page.Locator("#input").PressAsync("Enter");
        await Expect(page.Locator(".msg.own .text")).ToHaveTextAsync("hi carol");
        var send = Assert.Single(Node.Requests("send"));
        Assert.Equal("carol", (string?)send["params"]!["to"]);
        Assert.Null(send["params"]!["room"]);
        Assert.True(_problems.Count == 0, string.Join("\n", _problems));
    }

    [BrowserFact]
    public async Task Own_messages_sent_from_another_tab_show_here_once_with_their_ticks()
    {
        var page = await OpenAsync();
        await Conversation(page, "#lobby").ClickAsync();
        await page.Locator("#input").FillAsync("from this tab");
        await page.Locator("#input").PressAsync("Enter");
        // The answer, then "sent" to every tab: shown once here.
        await Expect(page.Locator(".msg.own .text")).ToHaveTextAsync(["from this tab"]);

        var now = DateTimeOffset.UtcNow.ToString("O");
        Node.Notify("sent", new { id = "m41", room = "lobby", to = (string?)null, recipients = 2, conversation = "#lobby", from = "alice",
            text = "from my other tab", sent_at = now, time = now });
        Node.Notify("sent", new { id = "m42", room = "lobby", to = "carol", recipients = 1, conversation = "@carol", from = "alice",
            text = "to carol from my phone-sized tab", sent_at = now, time = now });
        await Expect(page.Locator(".msg.own .text")).ToHaveTextAsync(["from this tab", "from my other tab"]);
        await Expect(page.Locator(".msg.own[data-id='m41'] .ticks")).ToHaveTextAsync("✓");
        Node.Notify("delivered", new { id = "m41", to = "bob", time = now });
        Node.Notify("delivered", new { id = "m41", to = "carol", time = now });
        await Expect(page.Locator(".msg.own[data-id='m41'] .ticks")).ToHaveTextAsync("✓✓");
        // The same "sent" again (a history merge, a second notice) shows nothing more.
        Node.Notify("sent", new { id = "m41", room = "lobby", to = (string?)null, recipients = 2, conversation = "#lobby", from = "alice",
            text = "from my other tab", sent_at = now, time = now });
        await Conversation(page, "@carol").ClickAsync();
        await Expect(page.Locator(".msg.own .text")).ToHaveTextAsync(["to carol from my phone-sized tab"]);
        await Conversation(page, "#lobby").ClickAsync();
        await Expect(page.Locator(".msg.own .text")).ToHaveTextAsync(["from this tab", "from my other tab"]);
        Assert.True(_problems.Count == 0, string.Join("\n", _problems));
    }

    [BrowserFact]
    public async Task Messages_that_came_while_the_socket_was_down_are_fetched_after_the_last_id_on_reconnect()
    {
        var page = await OpenAsync();
        await Conversation(page, "#lobby").ClickAsync();
        var start = DateTimeOffset.UtcNow.AddMinutes(-10);
        var seen = Node.Message("lobby", "bob", "seen before", at: start);
        await Expect(page.Locator(".msg .text")).ToHaveTextAsync(["seen before"]);

        Node.Accepting = false;
        await Node.CloseSocketAsync();
        await Expect(page.Locator("#conn")).ToHaveAttributeAsync("data-state", "offline");
        // Meanwhile the client node received (and kept) more; its clock order is not the page's concern.
        Node.History["#lobby"] =
        [
            FakeClientNode.Kept("r-old", "carol", "long ago", start.AddDays(-1)),
            FakeClientNode.Kept(seen, "bob", "seen before", start),
            FakeClientNode.Kept("r-d1", "carol", "while the page was away", start.AddMinutes(1)),
            FakeClientNode.Kept("m-d2", "alice", "sent by my other tab meanwhile", start.AddMinutes(2), own: true),
        ];
        Node.Accepting = true;
        await Expect(page.Locator("#conn")).ToHaveTextAsync("online");
        await Expect(page.Locator(".msg .text")).ToHaveTextAsync(["seen before", "while the page was away", "sent by my other tab meanwhile"]);
        var asked = Node.Requests("history").Last(r => (string?)r["params"]!["room"] == "lobby");
        Assert.Equal(seen, (string?)asked["params"]!["after"]);
        Node.Message("lobby", "bob", "and after", at: start.AddMinutes(3));
        await Expect(page.Locator(".msg .text")).ToHaveTextAsync(["seen before", "while the page was away", "sent by my other tab meanwhile", "and after"]);
        Assert.True(_problems.Count == 0, string.Join("\n", _problems));
    }

    [BrowserFact]
    public async Task Safety_number_dialog_shows_sixty_digits_and_the_qr_code_and_marks_verified()
    {
        Node.Keys["carol"] = "verified";
        var page = await OpenAsync();
        await Conversation(page, "#lobby").ClickAsync();
        await Expect(page.Locator(".member[data-name='carol'] .badge")).ToHaveTextAsync("✔ verified");
        await Expect(page.Locator(".member[data-name='alice']")).ToHaveTextAsync("alice (you)");
        await Conversation(page, "#lobby").ClickAsync();
        var bob = page.Locator(".member[data-name='bob'] .badge");
        await Expect(bob).ToHaveTextAsync("not verified");
        await bob.ClickAsync();
        var dialog = page.Locator("#safety-dialog");
        await Expect(dialog).ToBeVisibleAsync();
        await Expect(dialog.Locator(".group")).ToHaveCountAsync(12);
        var digits = string.Concat(await dialog.Locator(".group").AllTextContentsAsync());
        Assert.Equal(FakeClientNode.SafetyNumber.Replace(" ", "", StringComparison.Ordinal), digits);
        Assert.Equal(60, digits.Length);
        await Expect(dialog.Locator("svg.qr path")).ToHaveCountAsync(1);

        await page.Locator("#safety-verify").ClickAsync();
        await Expect(bob).ToHaveTextAsync("✔ verified");
        Assert.Equal("bob", (string?)Assert.Single(Node.Requests("mark_verified"))["params"]!["name"]);
        await page.Locator("#safety-dialog button[value=close]").ClickAsync();
        await Expect(dialog).ToBeHiddenAsync();
        Assert.True(_problems.Count == 0, string.Join("\n", _problems));
    }

    [BrowserFact]
    public async Task A_qr_code_with_script_is_not_shown()
    {
        Node.QrSvg = "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>document.title='owned'</script><path d=\"M0 0h1v1z\"/></svg>";
        var page = await OpenAsync();
        await Conversation(page, "#lobby").ClickAsync();
        await page.Locator(".member[data-name='bob'] .badge").ClickAsync();
        await Expect(page.Locator("#safety-qr")).ToHaveTextAsync("No QR code from this client node.");
        Assert.Equal(0, await page.Locator("#safety-qr svg").CountAsync());
        Assert.NotEqual("owned", await page.TitleAsync());
    }

    [BrowserFact]
    public async Task A_changed_key_blocks_sending_to_that_person_until_accepted()
    {
        var page = await OpenAsync();
        await Conversation(page, "#lobby").ClickAsync();
        await Expect(page.Locator("#input")).ToBeEnabledAsync();
        Node.Notify("key_changed", new { peer = "bob", time = DateTimeOffset.UtcNow.ToString("O") });
        var warning = page.Locator("#key-warning");
        await Expect(warning).ToBeVisibleAsync();
        await Expect(warning).ToContainTextAsync("bob will not get your messages here");
        await Expect(page.Locator(".member[data-name='bob'] .badge")).ToHaveTextAsync("⚠ key changed");
        await Expect(Conversation(page, "#lobby").Locator(".conv-warn")).ToBeVisibleAsync();
        await Expect(page.Locator("#input")).ToBeEnabledAsync(); // the room still reaches carol

        // To bob himself nothing goes until his new key is accepted.
        await page.Locator(".member[data-name='bob'] .member-name").ClickAsync();
        await Expect(page.Locator("#title")).ToHaveTextAsync("@bob");
        await Expect(warning).ToContainTextAsync("Nothing can be sent to bob");
        await Expect(page.Locator("#input")).ToBeDisabledAsync();
        await Expect(page.Locator("#send")).ToBeDisabledAsync();

        await page.Locator("#key-accept").ClickAsync();
        await Expect(warning).ToBeHiddenAsync();
        await Expect(page.Locator("#input")).ToBeEnabledAsync();
        Assert.Equal("bob", (string?)Assert.Single(Node.Requests("trust"))["params"]!["name"]);
        Assert.True(_problems.Count == 0, string.Join("\n", _problems));
    }

    [BrowserFact]
    public async Task Connection_state_follows_the_client_node_and_the_socket()
    {
        var page = await OpenAsync();
        var conn = page.Locator("#conn");
        await Expect(conn).ToHaveTextAsync("online");
        Node.Notify("disconnected", new { reason = "connection lost", retry_in_ms = 500, time = DateTimeOffset.UtcNow.ToString("O") });
        await Expect(conn).ToHaveTextAsync("reconnecting…");
        await Expect(conn).ToHaveAttributeAsync("data-state", "reconnecting");
        Node.Notify("reconnected", new { server = "127.0.0.1:1", time = DateTimeOffset.UtcNow.ToString("O") });
        await Expect(conn).ToHaveTextAsync("online");

        // The page loses the client node's socket: it says so and connects again by itself.
        Node.Accepting = false;
        await Node.CloseSocketAsync();
        await Expect(conn).ToHaveAttributeAsync("data-state", "offline");
        await Expect(conn).ToContainTextAsync("offline");
        Node.Accepting = true;
        await Expect(conn).ToHaveTextAsync("online");
        Assert.Equal(2, Node.Connections);
    }

    [BrowserFact]
    public Task A_room_entered_while_the_page_asks_for_the_rooms_is_listed() =>
        // The client node is still joining when the page opens: its rooms answer predates the join, whose
        // notification comes right after it (a CI run saw #lobby missing this way).
        LobbyComesRightAfterTheRoomsAnswer("room_joined",
            new { room = "lobby", members = new[] { "alice", "bob", "carol" }, time = DateTimeOffset.UtcNow.ToString("O") });

    [BrowserFact]
    public Task A_page_opened_before_the_client_node_is_ready_lists_its_room_once_it_is() =>
        // Not joined yet when the page asks; its first room then comes in the "ready" notification, not as
        // "room_joined" (a CI run saw a restarted client's page without #lobby).
        LobbyComesRightAfterTheRoomsAnswer("ready",
            new { name = "alice", room = "lobby", fingerprint = "0000 1111 2222 3333 4444 5555 6666 7777 8888 9999" });

    // The rooms answer leaves #lobby out; the notification that puts the node in it follows that answer.
    private async Task LobbyComesRightAfterTheRoomsAnswer(string notification, object payload)
    {
        Node.Rooms.Remove("lobby");
        Node.AfterAnswer = method =>
        {
            if (method != "rooms" || Node.Rooms.Contains("lobby"))
                return;
            Node.Rooms.Add("lobby");
            Node.Notify(notification, payload);
        };
        var page = await OpenAsync();
        await Expect(page.Locator(".conv[data-key='#lobby']")).ToBeVisibleAsync();
        await Expect(page.Locator(".conv[data-key='#games']")).ToBeVisibleAsync();
    }

    [BrowserFact]
    public async Task A_reload_keeps_the_session_and_a_spent_address_says_so()
    {
        var page = await OpenAsync();
        await page.ReloadAsync();
        await Expect(page.Locator("#conn")).ToHaveTextAsync("online");
        Assert.Equal(1, Node.Exchanges);
        Assert.Equal(2, Node.Connections);

        // The same address in a new tab (no session there): the token is spent.
        var other = await _context!.NewPageAsync();
        await Node.AttachAsync(other);
        await other.GotoAsync(FakeClientNode.Origin + "/#token=" + FakeClientNode.Token);
        await Expect(other.Locator("#toast")).ToContainTextAsync("used already");
        await Expect(other.Locator("#conn")).ToHaveAttributeAsync("data-state", "offline");
    }

    [BrowserFact]
    public async Task Desktop_notifications_for_direct_messages_and_mentions_only()
    {
        var page = await OpenAsync();
        await page.EvaluateAsync(@"() => {
            window.shown = [];
            window.Notification = class { constructor(title, o) { window.shown.push(title + ': ' + o.body); } static get permission() { return 'granted'; } };
        }");
        Node.Message("games", "bob", "no mention here");
        Node.Message("lobby", "bob", "hey alice, look");
        Node.Message("lobby", "carol", "just us", direct: true);
        Node.Message("lobby", "bob", "malice is not a mention");
        await Expect(Conversation(page, "@carol")).ToBeVisibleAsync();
        await Expect(Conversation(page, "#lobby").Locator(".unread")).ToHaveTextAsync("2");
        var shown = await page.EvaluateAsync<string[]>("() => window.shown");
        Assert.Equal(["bob in #lobby: hey alice, look", "carol: just us"], shown);
    }

    [BrowserFact]
    public async Task Ten_thousand_messages_keep_a_bounded_number_of_nodes_and_scroll()
    {
        var page = await OpenAsync();
        await Conversation(page, "#lobby").ClickAsync();
        var start = DateTimeOffset.UtcNow.AddHours(-30);
        for (var i = 1; i <= 10_000; i++)
            Node.Message("lobby", i % 2 == 0 ? "bob" : "carol", $"message {i}" + (i % 7 == 0 ? "\nwith a second line" : ""), at: start.AddSeconds(i * 10));
        await Expect(page.Locator(".msg .text").Last).ToHaveTextAsync("message 10000", new() { Timeout = 60_000 });
        var nodes = await page.Locator("#messages-content > *").CountAsync();
        output.WriteLine($"10,000 messages: {nodes} row nodes in the DOM at the bottom");
        Assert.InRange(nodes, 5, 120);

        // Scroll to the top in steps, as a wheel would, timing the frames.
        var timing = await page.EvaluateAsync<double[]>(@"async () => {
            const v = document.getElementById('messages');
            const frames = [];
            let last = performance.now();
            for (let i = 0; i < 60; i++) {
                v.scrollTop -= 4000;
                await new Promise(r => requestAnimationFrame(r));
                const now = performance.now(); frames.push(now - last); last = now;
            }
            v.scrollTop = 0;
            await new Promise(r => requestAnimationFrame(r));
            frames.sort((a, b) => a - b);
            return [frames[Math.floor(frames.length / 2)], frames[frames.length - 1]];
        }");
        output.WriteLine($"scrolling up in 4000 px steps: median frame {timing[0]:F1} ms, worst {timing[1]:F1} ms; " +
                         $"load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
        await Expect(page.Locator(".msg .text").First).ToHaveTextAsync("message 1");
        nodes = await page.Locator("#messages-content > *").CountAsync();
        output.WriteLine($"{nodes} row nodes at the top");
        Assert.InRange(nodes, 5, 120);
        Assert.True(_problems.Count == 0, string.Join("\n", _problems));
    }

    [BrowserFact]
    public async Task Phone_width_has_one_column_with_the_conversations_behind_a_button()
    {
        var page = await OpenAsync(380, 760);
        await Expect(page.Locator("#menu-button")).ToBeVisibleAsync();
        await Expect(page.Locator("#input")).ToBeVisibleAsync();
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= 380"));
        await Expect(Conversation(page, "#lobby")).Not.ToBeInViewportAsync();
        await page.Locator("#menu-button").ClickAsync();
        await Expect(Conversation(page, "#lobby")).ToBeInViewportAsync();
        await Conversation(page, "#lobby").ClickAsync();
        await Expect(page.Locator("#title")).ToHaveTextAsync("#lobby");
        await Expect(Conversation(page, "#lobby")).Not.ToBeInViewportAsync();
        await page.Locator("#members-button").ClickAsync();
        await Expect(page.Locator(".member[data-name='bob']")).ToBeInViewportAsync();
    }

    [BrowserFact]
    public async Task Theme_follows_the_system_and_the_toggle()
    {
        var page = await OpenAsync(scheme: ColorScheme.Dark);
        const string background = "() => getComputedStyle(document.body).backgroundColor";
        var dark = await page.EvaluateAsync<string>(background);
        await page.Locator("#theme-toggle").ClickAsync();
        await Expect(page.Locator("#theme-toggle")).ToHaveTextAsync("Theme: light");
        var light = await page.EvaluateAsync<string>(background);
        Assert.Equal("rgb(255, 255, 255)", light);
        Assert.NotEqual(light, dark);
        await page.Locator("#theme-toggle").ClickAsync();
        await Expect(page.Locator("#theme-toggle")).ToHaveTextAsync("Theme: dark");
        Assert.Equal(dark, await page.EvaluateAsync<string>(background));
    }

    [BrowserFact]
    public async Task Load_time_is_measured()
    {
        var page = await OpenAsync();
        var ready = await page.EvaluateAsync<double>("() => performance.getEntriesByName('entice-ready')[0].startTime");
        output.WriteLine($"page usable (rooms, members and history shown) {ready:F0} ms after navigation started (fake node, routed in the browser)");
        Assert.True(ready > 0);
    }
}
