using System.Net;
using Akka.Actor;
using Akka.Event;
using Entice.Wire;

namespace Entice.Transport;

/// <summary>
/// What the socket side offers the protocol side of one client connection (<see cref="IClientProtocol"/>):
/// send a message, close with a reason, move the connection on after the hello, and the actor that rooms,
/// the name registry and the store answer to. Called only from the connection actor's own thread.
/// </summary>
public interface IClientLink
{
    /// <summary>The connection actor: replies to it come back to the protocol through <see cref="IClientProtocol.OnReply"/>.</summary>
    IActorRef Self { get; }

    EndPoint Remote { get; }

    ILoggingAdapter Log { get; }

    /// <summary>Encodes and queues one message (a client too far behind is aborted).</summary>
    void Send(WireMessage message);

    /// <summary>Tells the client why (one error frame), logs it, and closes once that frame is written.</summary>
    void Close(string code, string message, string logReason);

    /// <summary>Closes once everything queued is written (after a goodbye).</summary>
    void CloseWhenSent();

    /// <summary>The hello is valid and the name is being claimed: full-size frames from now on, and what arrives waits.</summary>
    void HelloAccepted();

    /// <summary>The name is ours: the handshake is over, and what waited is handled now, in order.</summary>
    void Welcomed();

    /// <summary>Watch an actor; its <see cref="Terminated"/> reaches <see cref="IClientProtocol.OnReply"/>.</summary>
    void Watch(IActorRef actor);

    void Unwatch(IActorRef actor);
}
