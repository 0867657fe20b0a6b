namespace Entice.Transport;

/// <summary>How the server's connections do their IO (entice.server.transport).</summary>
public enum ServerTransportKind
{
    /// <summary>Akka.IO: a TcpListener and a TcpConnection actor per connection beside the transport actor.</summary>
    AkkaIo,

    /// <summary>System.Net.Sockets, owned by the transport actor itself (no IO actor, no idle receive buffer).</summary>
    Sockets,
}
