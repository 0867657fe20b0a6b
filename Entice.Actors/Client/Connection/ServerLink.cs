using System.Net;
using Akka.Actor;
using Entice.Transport;
using Entice.Wire;

namespace Entice.Client.Connection;

/// <summary>
/// The chat actor's side of its connection actor (<see cref="ServerConnection"/>): opens one at a time
/// (numbered, so an envelope knows which connection it went on), starts a reconnect after the server
/// last used and waits longer each time (<see cref="Backoff"/>), and knows which messages come from the
/// current one. The chat actor's states decide when; this holds the how.
/// </summary>
internal sealed class ServerLink(ClientSettings settings, ChatClient.ConnectionFactory connect)
{
    private readonly Backoff _backoff = new(settings.ReconnectInitial, settings.ReconnectMax);
    private int _serverIndex;

    public IActorRef Connection { get; private set; } = ActorRefs.Nobody;

    /// <summary>How many connections were opened (the current one's number).</summary>
    public int Generation { get; private set; }

    /// <summary>The server connected to last, as shown to the user.</summary>
    public string Server { get; private set; } = "";

    public bool IsCurrent(IActorRef sender) => sender.Equals(Connection);

    /// <param name="reconnect">A reconnect starts at the server after the last one used, moving on with each attempt.</param>
    public void Open(IActorContext context, bool reconnect)
    {
        var firstServer = reconnect ? _serverIndex + _backoff.Attempt : 0;
        Connection = connect(context, firstServer, ++Generation);
        context.Watch(Connection);
    }

    public void OnConnected(ServerConnection.Connected c)
    {
        Server = c.Server is IPEndPoint ip && ip.Address.IsIPv4MappedToIPv6
            ? new IPEndPoint(ip.Address.MapToIPv4(), ip.Port).ToString()
            : c.Server.ToString() ?? "";
        _serverIndex = c.ServerIndex;
    }

    /// <summary>The connection is gone: returns how long to wait before the next attempt.</summary>
    public TimeSpan Lost(IActorContext context)
    {
        context.Unwatch(Connection);
        Connection = ActorRefs.Nobody;
        return _backoff.Next();
    }

    /// <summary>Connected and every room rejoined: the next drop starts waiting from the shortest delay.</summary>
    public void Settled() => _backoff.Reset();

    public void Send(WireMessage message)
    {
        if (!Connection.IsNobody())
            Connection.Tell(new ServerConnection.Send(message));
    }

    public void Close() => Connection.Tell(new ServerConnection.Close());
}
