using Entice.Client;
using Entice.Tests.Support;
using Entice.Wire;

namespace Entice.Tests.Integration;

/// <summary>A server node and client nodes in one process, talking over loopback TCP, as users would.</summary>
public sealed class ConversationSpecs : IAsyncLifetime
{
    private readonly TestNodes _nodes = new();
    private System.Net.IPEndPoint _endpoint = null!;
    private string _data = "";

    public async Task InitializeAsync()
    {
        _data = _nodes.Dir("entice-test-data-");
        (_, _endpoint) = await _nodes.ServerAsync(dataDir: _data);
    }

    public Task DisposeAsync() => _nodes.DisposeAsync().AsTask();

    [Fact]
    public async Task Two_clients_hold_a_conversation_in_both_directions()
    {
        var alice = await Start("alice").ReadyAsync();
        var bob = await Start("bob").ReadyAsync();
        await bob.View.NextAsync<MemberJoinedEvent>(j => j.Name == "alice");
        await alice.View.NextAsync<MemberJoinedEvent>(j => j.Name == "bob");

        alice.Type("hello bob");
        alice.Type("how are you?");
        Assert.Equal("hello bob", (await bob.View.NextAsync<MessageEvent>()).Text);
        Assert.Equal("how are you?", (await bob.View.NextAsync<MessageEvent>()).Text);

        bob.Type("fine, and you? ünïcödé ✓");
        var reply = await alice.View.NextAsync<MessageEvent>();
        Assert.Equal(("bob", "fine, and you? ünïcödé ✓", false), (reply.From, reply.Text, reply.Direct));
    }

    [Fact]
    public async Task A_direct_message_reaches_only_its_recipient()
    {
        var alice = await Start("alice").ReadyAsync();
        var bob = await Start("bob").ReadyAsync();
        var carol = await Start("carol").ReadyAsync();
        await alice.View.NextAsync<MemberJoinedEvent>(j => j.Name == "carol");

        alice.Type("/msg bob just between us");

        var dm = await bob.View.NextAsync<MessageEvent>();
        Assert.Equal(("alice", "just between us", true), (dm.From, dm.Text, dm.Direct));
        Assert.DoesNotContain(await carol.View.DrainAsync(TimeSpan.FromMilliseconds(500)), e => e is MessageEvent);
    }

    [Fact]
    public async Task Both_sides_see_the_same_safety_number()
    {
        var alice = await Start("alice").ReadyAsync();
        var bob = await Start("bob").ReadyAsync();
        await alice.View.NextAsync<MemberJoinedEvent>(j => j.Name == "bob");

        alice.Type("/verify bob");
        bob.Type("/verify alice");

        var a = await alice.View.NextAsync<SafetyNumberEvent>();
        var b = await bob.View.NextAsync<SafetyNumberEvent>();
        Assert.Equal(60, a.SafetyNumber.Length);
        Assert.Equal(a.SafetyNumber, b.SafetyNumber);
    }

    [Fact]
    public async Task A_second_client_with_a_name_in_use_is_refused_with_a_clear_error()
    {
        var alice = await Start("alice").ReadyAsync();

        var impostor = Start("alice");

        var error = await impostor.View.NextAsync<ErrorEvent>();
        Assert.Equal(ErrorCodes.NameOwned, error.Code);
        Assert.NotEqual(0, await impostor.Exit.WaitAsync(TimeSpan.FromSeconds(10)));
        alice.Type("/who");
        Assert.Equal(["alice"], (await alice.View.NextAsync<MembersEvent>()).Members);
    }

    [Fact]
    public async Task Lines_typed_before_input_ends_are_delivered_then_the_client_exits_zero()
    {
        var alice = await Start("alice").ReadyAsync();
        var dave = Start("dave");
        dave.Type("first");
        dave.Type("last words");
        dave.EndInput();

        Assert.Equal(0, await dave.Exit.WaitAsync(TimeSpan.FromSeconds(15)));
        Assert.Equal("first", (await alice.View.NextAsync<MessageEvent>()).Text);
        Assert.Equal("last words", (await alice.View.NextAsync<MessageEvent>()).Text);
        Assert.Equal("dave", (await alice.View.NextAsync<MemberAwayEvent>()).Name);
    }

    [Fact]
    public async Task A_peer_whose_key_changed_gets_nothing_until_trusted()
    {
        var alice = await Start("alice").ReadyAsync();
        var bob = await Start("bob").ReadyAsync();
        await alice.View.NextAsync<MemberJoinedEvent>(j => j.Name == "bob");
        bob.EndInput();
        await bob.Exit.WaitAsync(TimeSpan.FromSeconds(15));
        await alice.View.NextAsync<MemberAwayEvent>(l => l.Name == "bob");

        using (var store = Entice.Server.Store.OfflineStore.Open(_data))
            Assert.True(store.ReleaseOwnedName("bob")); // the operator releases the name (release-name)
        var newBob = await Start("bob").ReadyAsync(); // a new key directory: a new identity under the same name
        Assert.Equal("bob", (await alice.View.NextAsync<KeyChangedEvent>()).Peer);

        alice.Type("did you get a new phone?");
        Assert.Equal(ErrorCodes.UntrustedKey, (await alice.View.NextAsync<ErrorEvent>()).Code);
        Assert.DoesNotContain(await newBob.View.DrainAsync(TimeSpan.FromMilliseconds(500)), e => e is MessageEvent);

        alice.Type("/trust bob");
        await alice.View.NextAsync<TrustedEvent>();
        alice.Type("welcome back");
        Assert.Equal("welcome back", (await newBob.View.NextAsync<MessageEvent>()).Text);
    }

    [Fact]
    public async Task A_second_room_carries_its_own_conversation()
    {
        var alice = await Start("alice").ReadyAsync();
        var bob = await Start("bob").ReadyAsync();
        var carol = await Start("carol").ReadyAsync();

        alice.Type("/join games");
        Assert.Equal("games", (await alice.View.NextAsync<RoomEnteredEvent>()).Room);
        bob.Type("/join games");
        await bob.View.NextAsync<RoomEnteredEvent>();
        await alice.View.NextAsync<MemberJoinedEvent>(j => j.Room == "games" && j.Name == "bob");

        alice.Type("anyone for chess?");              // goes to the room joined last
        var inGames = await bob.View.NextAsync<MessageEvent>();
        Assert.Equal(("games", "anyone for chess?"), (inGames.Room, inGames.Text));
        alice.Chat.Tell(new ChatClient.UserLine("back in the lobby", "lobby"), Akka.Actor.ActorRefs.NoSender);
        Assert.Equal("lobby", (await bob.View.NextAsync<MessageEvent>()).Room);
        var carolSaw = await carol.View.NextAsync<MessageEvent>();
        Assert.Equal("back in the lobby", carolSaw.Text);
        Assert.DoesNotContain(await carol.View.DrainAsync(TimeSpan.FromMilliseconds(300)), e => e is MessageEvent);

        bob.Type("/leave games");
        Assert.Equal("games", (await bob.View.NextAsync<RoomExitedEvent>()).Room);
        await alice.View.NextAsync<MemberLeftEvent>(l => l.Room == "games" && l.Name == "bob");
    }

    [Fact]
    public async Task The_sender_learns_when_the_server_took_a_message_and_when_each_recipient_read_it()
    {
        var alice = await Start("alice").ReadyAsync();
        alice.Type("anyone?");
        Assert.Equal(ErrorCodes.NoSuchMember, (await alice.View.NextAsync<ErrorEvent>()).Code);

        var bob = await Start("bob").ReadyAsync();
        var carol = await Start("carol").ReadyAsync();
        await alice.View.NextAsync<MemberJoinedEvent>(j => j.Name == "carol");

        alice.Chat.Tell(new ChatClient.UserLine("hello both", null, "line-1"), Akka.Actor.ActorRefs.NoSender);
        var sent = await alice.View.NextAsync<SentEvent>();
        Assert.Equal(("line-1", "lobby", (string?)null, 2), (sent.Tag, sent.Room, sent.To, sent.Recipients));

        var delivered = new[] { await alice.View.NextAsync<DeliveredEvent>(), await alice.View.NextAsync<DeliveredEvent>() };
        Assert.Equal(["bob", "carol"], delivered.Select(d => d.To).Order());
        Assert.All(delivered, d => Assert.Equal((sent.Id, "line-1"), (d.Id, d.Tag)));

        alice.Type("/msg bob psst");
        var direct = await alice.View.NextAsync<SentEvent>();
        Assert.Equal(("bob", 1), (direct.To, direct.Recipients));
        Assert.Equal(("bob", direct.Id), ((await alice.View.NextAsync<DeliveredEvent>()).To, direct.Id));
        // Receipts are not messages: nobody sees them as text.
        Assert.DoesNotContain(await bob.View.DrainAsync(TimeSpan.FromMilliseconds(300)), e => e is MessageEvent { From: "alice", Text: "" });
    }

    [Fact]
    public async Task A_verification_is_remembered_in_the_key_directory()
    {
        var bob = await Start("bob").ReadyAsync();
        var dir = _nodes.Dir();
        var alice = await _nodes.Client("alice", _endpoint, keyDir: dir).ReadyAsync();

        alice.Type("/verified bob");
        Assert.Equal("bob", (await alice.View.NextAsync<VerifiedEvent>()).Peer);
        alice.EndInput();
        await alice.Exit.WaitAsync(TimeSpan.FromSeconds(15));
        await alice.System.Terminate();

        var again = await _nodes.Client("alice", _endpoint, keyDir: dir).ReadyAsync();
        Assert.Equal("bob", (await again.View.NextAsync<VerifiedEvent>()).Peer);
    }

    [Fact]
    public async Task A_server_that_cannot_be_reached_ends_the_client_with_an_error()
    {
        var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        probe.Start();
        var closedPort = ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();

        var lost = Start("lost", new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, closedPort));

        Assert.Equal(ErrorCodes.ServerUnreachable, (await lost.View.NextAsync<ErrorEvent>()).Code);
        Assert.Equal(2, await lost.Exit.WaitAsync(TimeSpan.FromSeconds(15)));
    }

    private TestClient Start(string name, System.Net.IPEndPoint? server = null) => _nodes.Client(name, server ?? _endpoint);
}
