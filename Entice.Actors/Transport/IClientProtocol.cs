using Entice.Wire;

namespace Entice.Transport;

/// <summary>
/// The protocol side of one client connection, driven by the socket side (<see cref="ClientTransportActor"/>)
/// on its own thread, a plain object rather than another actor so a frame costs no extra mailbox hop.
/// The socket side decodes frames, keeps the connection's states and answers pings; everything that is
/// about who the client is and what it asks for happens here.
/// </summary>
public interface IClientProtocol
{
    /// <summary>The client's name once its hello is valid ("" before), for logs.</summary>
    string Name { get; }

    /// <summary>The connection is open: greet the client (ServerHello).</summary>
    void Start();

    /// <summary>The first message, and a Hello: accept it (<see cref="IClientLink.HelloAccepted"/>) or close.</summary>
    void OnHello(Hello hello);

    /// <summary>A message after the welcome (not a ping or pong: the socket side answers those).</summary>
    void OnMessage(WireMessage message);

    /// <summary>Any other actor message (answers from the registry, rooms, store; watched actors stopping). False: not ours.</summary>
    bool OnReply(object message);

    /// <summary>The server is stopping and this client was welcomed: drain what it sent, then close.</summary>
    void OnShutdown();
}
