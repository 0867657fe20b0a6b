using Akka.Actor;
using Akka.IO;

namespace Entice.Transport;

/// <summary>An Akka.IO connection actor as an <see cref="IConnectionIo"/>: each write is acknowledged with <see cref="AckedWriter.Ack"/>.</summary>
internal sealed class AkkaIoConnection(IActorRef connection) : IConnectionIo
{
    public IActorRef Actor => connection;

    public bool Write(byte[] bytes)
    {
        connection.Tell(Tcp.Write.Create(ByteString.FromBytes(bytes), AckedWriter.Ack.Instance));
        return false;
    }

    public void Close() => connection.Tell(Tcp.Close.Instance);

    public void Abort() => connection.Tell(Tcp.Abort.Instance);
}
