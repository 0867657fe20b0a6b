using System.Collections.Concurrent;
using Akka.Actor;

namespace Entice.Tests.Support;

/// <summary>An actor that only records what reaches it: the target of messages other nodes try to send.</summary>
internal sealed class RecordingSink : ReceiveActor
{
    public RecordingSink(ConcurrentQueue<object> received) => ReceiveAny(received.Enqueue);

    public static Props Props(ConcurrentQueue<object> received) => Akka.Actor.Props.Create(() => new RecordingSink(received));
}
