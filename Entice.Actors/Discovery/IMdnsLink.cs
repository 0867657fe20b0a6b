using System.Net;
using Makaretu.Dns;

namespace Entice.Discovery;

/// <summary>
/// Multicast DNS on the chosen interfaces: messages heard, messages sent to 224.0.0.251:5353. The real
/// one is <see cref="MdnsLink"/>; specs use a fake that never touches a network. Events are raised on
/// the link's own threads.
/// </summary>
public interface IMdnsLink : IDisposable
{
    event Action<Message, IPEndPoint>? QueryReceived;

    event Action<Message, IPEndPoint>? AnswerReceived;

    /// <summary>Opens the sockets (blocking: call it off actor threads).</summary>
    void Start();

    /// <summary>Sends a query or an answer to the multicast group on every chosen interface (blocking, briefly).</summary>
    void Send(Message message);
}
