namespace Entice.Transport;

/// <summary>
/// Where an <see cref="AckedWriter"/> writes one connection's bytes: Akka.IO's connection actor
/// (<see cref="AkkaIoConnection"/>: the client's link to its server) or a socket the connection actor owns
/// (<see cref="Sockets.SocketConnection"/>: the server's side of each client). Called from the owning
/// actor's thread only.
/// </summary>
internal interface IConnectionIo
{
    /// <summary>
    /// Starts writing <paramref name="bytes"/>. True: written already (nothing more will come for it); false:
    /// <see cref="AckedWriter.Ack"/> (or a failure) will be told to the owner once it is.
    /// </summary>
    bool Write(byte[] bytes);

    /// <summary>Everything was written: close gracefully (the owner is told when the connection is closed).</summary>
    void Close();

    /// <summary>Close at once (a reset), dropping what was not written.</summary>
    void Abort();
}
