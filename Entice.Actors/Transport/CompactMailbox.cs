using Akka.Actor;
using Akka.Dispatch;
using Akka.Dispatch.MessageQueues;

namespace Entice.Transport;

/// <summary>
/// The server's default mailbox (<c>akka.actor.default-mailbox</c> and <c>akka.actor.mailbox.unbounded-queue-based</c>
/// in hocon/server.conf): a <see cref="CompactMessageQueue"/> per actor instead of Akka's
/// <c>ConcurrentQueue</c>, so an idle connection's three actors hold no preallocated queue segments.
/// </summary>
public sealed class CompactMailbox : MailboxType, IProducesMessageQueue<CompactMessageQueue>
{
    public CompactMailbox(Settings settings, Akka.Configuration.Config config)
        : base(settings, config)
    {
    }

    public override IMessageQueue Create(IActorRef owner, ActorSystem system) => new CompactMessageQueue();
}

/// <summary>The mailbox of stashing actors on the server (<c>akka.actor.mailbox.unbounded-deque-based</c>): a <see cref="CompactDequeMessageQueue"/>.</summary>
public sealed class CompactDequeMailbox : MailboxType, IProducesMessageQueue<CompactDequeMessageQueue>
{
    public CompactDequeMailbox(Settings settings, Akka.Configuration.Config config)
        : base(settings, config)
    {
    }

    public override IMessageQueue Create(IActorRef owner, ActorSystem system) => new CompactDequeMessageQueue();
}
