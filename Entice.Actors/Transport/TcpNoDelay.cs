using System.Net.Sockets;
using Akka.IO;

namespace Entice.Transport;

/// <summary>
/// Akka.IO has no no-delay option; without it every small chat frame waits on Nagle plus delayed ACK
/// (~40 ms). Applied to accepted sockets through Bind and to outgoing ones through Connect.
/// </summary>
public sealed class TcpNoDelay : Inet.SocketOption
{
    public static readonly TcpNoDelay On = new();

    public override void AfterConnect(Socket s) => s.NoDelay = true;
}
