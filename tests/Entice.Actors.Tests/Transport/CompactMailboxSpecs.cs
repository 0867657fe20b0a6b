using Akka.Actor;
using Akka.Dispatch.MessageQueues;
using Entice.Config;
using Entice.Transport;

namespace Entice.Tests.Transport;

/// <summary>
/// Idle memory (issue 17): the server's actors (three per connection) use <see cref="CompactMailbox"/>,
/// whose queue holds nothing preallocated while empty (Akka's default preallocates a 32-slot segment,
/// about 1 KiB per actor), and still delivers every message once, in order, stashing included.
/// </summary>
public sealed class CompactMailboxSpecs
{
    [Fact]
    public void An_empty_queue_preallocates_no_segment()
    {
        _ = new CompactMessageQueue(); // warm the type
        var before = GC.GetAllocatedBytesForCurrentThread();
        var queue = new CompactMessageQueue();
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        GC.KeepAlive(queue);
        Assert.True(allocated < 200, $"an empty mailbox queue took {allocated} bytes");

        _ = new UnboundedMessageQueue();
        before = GC.GetAllocatedBytesForCurrentThread();
        var akkas = new UnboundedMessageQueue();
        var akkasAllocated = GC.GetAllocatedBytesForCurrentThread() - before;
        GC.KeepAlive(akkas);
        Assert.True(akkasAllocated > 1000, $"Akka's default queue took {akkasAllocated} bytes"); // what it replaces
    }

    [Fact]
    public void Messages_come_out_once_in_order_from_many_producers_and_the_rest_go_to_dead_letters()
    {
        var queue = new CompactMessageQueue();
        const int producers = 4, each = 5000;
        Parallel.For(0, producers, p =>
        {
            for (var i = 0; i < each; i++)
                queue.Enqueue(ActorRefs.Nobody, new Akka.Actor.Envelope((p, i), ActorRefs.NoSender));
        });
        Assert.Equal(producers * each, queue.Count);
        var next = new int[producers];
        for (var n = 0; n < (producers * each) - 10; n++)
        {
            Assert.True(queue.TryDequeue(out var envelope));
            var (p, i) = ((int, int))envelope.Message;
            Assert.Equal(next[p]++, i); // each producer's messages in the order it sent them
        }

        var dead = new CompactMessageQueue();
        queue.CleanUp(ActorRefs.Nobody, dead);
        Assert.False(queue.HasMessages);
        Assert.False(queue.TryDequeue(out _));
        Assert.Equal(10, dead.Count);
    }

    [Fact]
    public void The_deque_variant_puts_a_message_back_in_front()
    {
        var queue = new CompactDequeMessageQueue();
        queue.Enqueue(ActorRefs.Nobody, new Akka.Actor.Envelope("second", ActorRefs.NoSender));
        queue.EnqueueFirst(new Akka.Actor.Envelope("first", ActorRefs.NoSender));
        Assert.Equal(2, queue.Count);
        Assert.True(queue.TryDequeue(out var a));
        Assert.True(queue.TryDequeue(out var b));
        Assert.Equal(["first", "second"], new[] { a.Message, b.Message });
    }

    [Fact]
    public async Task The_shipped_server_configuration_gives_plain_and_stashing_actors_the_compact_queues()
    {
        var config = EnticeConfig.Server();
        var system = ActorSystem.Create("mailbox", Akka.Configuration.ConfigurationFactory
            .ParseString("akka.loglevel = WARNING\nakka.loggers = [\"Akka.Event.DefaultLogger\"]").WithFallback(config));
        try
        {
            var plain = (ActorRefWithCell)system.ActorOf(Props.Create(() => new Echo()));
            var stashing = (ActorRefWithCell)system.ActorOf(Props.Create(() => new Stasher()));
            Assert.Equal("ping", await plain.Ask<string>("ping", TimeSpan.FromSeconds(30)));

            // A stashing actor still sees stashed messages first, in order, once it unstashes.
            foreach (var m in new[] { "a", "b", "c" })
                stashing.Tell(m);
            var seen = await stashing.Ask<string>("open", TimeSpan.FromSeconds(30));
            Assert.Equal("a,b,c", seen);

            // Both started (answered), so their cells and mailboxes are the real ones.
            Assert.IsType<CompactMessageQueue>(((ActorCell)plain.Underlying).Mailbox!.MessageQueue);
            Assert.IsType<CompactDequeMessageQueue>(((ActorCell)stashing.Underlying).Mailbox!.MessageQueue);
        }
        finally
        {
            await system.Terminate();
        }
    }

    private sealed class Echo : ReceiveActor
    {
        public Echo() => ReceiveAny(m => Sender.Tell(m));
    }

    private sealed class Stasher : ReceiveActor, IWithStash
    {
        private readonly List<string> _seen = [];
        private IActorRef _asker = ActorRefs.Nobody;

        public Stasher()
        {
            Receive<string>(m => m == "open", _ =>
            {
                _asker = Sender;
                Become(Open);
                Stash.UnstashAll();
                Self.Tell("done");
            });
            Receive<string>(_ => Stash.Stash());
        }

        public IStash Stash { get; set; } = null!;

        private void Open()
        {
            Receive<string>(m => m == "done", _ => _asker.Tell(string.Join(",", _seen)));
            Receive<string>(m => _seen.Add(m));
        }
    }
}
