using Akka.Actor;
using Entice.Client;
using Entice.Tests.Support;
using Entice.Wire;

namespace Entice.Tests.Client;

/// <summary>
/// Issue 11 item 7: every client actor has a supervisor. Each child is crashed (Akka's Kill) in a
/// running conversation; the conversation goes on, or the client stops with exit code 1 and one line
/// saying which actor failed. Never a silent, half-dead client.
/// </summary>
public sealed class ClientRootSpecs : IAsyncDisposable
{
    private readonly TestNodes _nodes = new();

    [Fact]
    public async Task A_crashed_chat_actor_keeps_its_outbox_and_the_conversation_goes_on()
    {
        var (alice, bob, children) = await ConversationAsync();
        alice.Type("before");
        children.Chat.Tell(Kill.Instance);
        alice.Type("after");
        bob.Type("to alice");

        Assert.Equal(["before", "after"], await bob.View.TextsAsync(2));
        Assert.Equal(["to alice"], await alice.View.TextsAsync(1));
    }

    [Fact]
    public async Task A_crashed_view_comes_back_and_shows_what_follows()
    {
        var (alice, bob, children) = await ConversationAsync();
        children.View.Tell(Kill.Instance);
        bob.Type("can you see this");

        Assert.Equal(["can you see this"], await alice.View.TextsAsync(1));
    }

    [Fact]
    public async Task A_crashed_connection_actor_is_replaced_by_a_reconnect()
    {
        var (alice, bob, _) = await ConversationAsync();
        var connection = await alice.System.ActorSelection("/user/client/chat/connection-1").ResolveOne(TimeSpan.FromSeconds(5));
        connection.Tell(Kill.Instance);

        await alice.View.NextAsync<ReconnectedEvent>(timeout: TimeSpan.FromSeconds(20));
        alice.Type("back");
        Assert.Equal(["back"], await bob.View.TextsAsync(1));
    }

    [Fact]
    public async Task A_crashed_crypto_actor_comes_back_with_its_keys_or_the_client_stops_saying_why()
    {
        var (alice, bob, children) = await ConversationAsync();
        children.Crypto.Tell(Kill.Instance);
        alice.Type("after the crash");
        bob.Type("to alice");

        var first = await alice.View.NextAsync<ChatEvent>(e => e is MessageEvent or StoppedEvent, TimeSpan.FromSeconds(20));
        if (first is StoppedEvent stopped)
        {
            Assert.Equal(1, stopped.ExitCode);
            Assert.Contains("crypto actor failed", stopped.Reason, StringComparison.Ordinal);
            Assert.DoesNotContain('\n', stopped.Reason);
            Assert.Equal(1, await alice.Exit.WaitAsync(TimeSpan.FromSeconds(5)));
        }
        else
        {
            Assert.Equal("to alice", ((MessageEvent)first).Text);
            Assert.Equal(["after the crash"], await bob.View.TextsAsync(1));
        }
    }

    [Fact]
    public async Task A_child_that_cannot_come_back_stops_the_client_with_exit_code_1_and_one_line_naming_it()
    {
        using var system = ActorSystem.Create("root-spec", "akka.loglevel = OFF");
        var view = new RecordingView();
        var exit = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var starts = new StrongBox<int>();
        var root = system.ActorOf(ClientRoot.Props(new ClientSettings { Name = "alice", Servers = [new System.Net.DnsEndPoint("127.0.0.1", 1)] },
            Props.Create(() => new StartsOnce(starts)), Entice.ClientNode.Ui.Views.ViewActor.Props(view, exit), exit), "client");
        var children = await root.Ask<ClientRoot.Children>(new ClientRoot.GetChildren(), TimeSpan.FromSeconds(5));

        children.Crypto.Tell(Kill.Instance);

        Assert.Equal(1, await exit.Task.WaitAsync(TimeSpan.FromSeconds(10)));
        var error = await view.NextAsync<ErrorEvent>();
        Assert.Equal(ErrorCodes.ActorFailed, error.Code);
        Assert.Contains("crypto actor failed", error.Message, StringComparison.Ordinal);
        Assert.Contains("InvalidOperationException: no second start", error.Message, StringComparison.Ordinal);
        await system.Terminate();
    }

    private sealed class StrongBox<T>
    {
        public T? Value { get; set; }
    }

    // Stands for a crypto actor that cannot restart (its constructor fails the second time).
    private sealed class StartsOnce : ReceiveActor
    {
        public StartsOnce(StrongBox<int> starts)
        {
            if (++starts.Value > 1)
                throw new InvalidOperationException("no second start");
            ReceiveAny(_ => { });
        }
    }

    private async Task<(TestClient Alice, TestClient Bob, ClientRoot.Children Children)> ConversationAsync()
    {
        var (_, endpoint) = await _nodes.ServerAsync();
        var alice = await _nodes.Client("alice", endpoint).ReadyAsync();
        var bob = await _nodes.Client("bob", endpoint).ReadyAsync();
        await alice.View.NextAsync<MemberJoinedEvent>(j => j.Name == "bob");
        alice.Type("hello");
        Assert.Equal(["hello"], await bob.View.TextsAsync(1));
        var children = await alice.Chat.Ask<ClientRoot.Children>(new ClientRoot.GetChildren(), TimeSpan.FromSeconds(5));
        return (alice, bob, children);
    }

    public ValueTask DisposeAsync() => _nodes.DisposeAsync();
}
