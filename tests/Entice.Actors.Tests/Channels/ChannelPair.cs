using Entice.Channels;

namespace Entice.Tests.Channels;

/// <summary>Runs the channel handshake between a client and a server object in memory, message by message.</summary>
internal sealed class ChannelPair : IDisposable
{
    public ChannelPair(ChannelSettings? settings = null, X25519KeyPair? serverKey = null, ServerFingerprint? expected = null, ChannelSettings? serverSettings = null)
    {
        Settings = settings ?? new ChannelSettings();
        ServerKey = serverKey ?? X25519KeyPair.Generate();
        Client = ChannelHandshake.Initiator(Settings, expected);
        Server = ChannelHandshake.Responder(serverSettings ?? Settings, ServerKey);
    }

    public ChannelSettings Settings { get; }
    public X25519KeyPair ServerKey { get; }
    public ChannelHandshake Client { get; }
    public ChannelHandshake Server { get; }

    /// <summary>The bytes of each flight: client first (preamble and message 1), server (message 2), client (message 3).</summary>
    public List<byte[]> Flights { get; } = [];

    public SecureChannel? ClientChannel { get; private set; }
    public SecureChannel? ServerChannel { get; private set; }
    public HandshakeStep? ClientStep { get; private set; }
    public HandshakeStep? ServerStep { get; private set; }

    /// <summary>Run it; <paramref name="tamper"/> may change each flight (index, bytes) before it is delivered.</summary>
    public bool Run(Func<int, byte[], byte[]>? tamper = null)
    {
        tamper ??= (_, b) => b;
        var first = tamper(0, Record(Client.Start()));
        ServerStep = Server.Receive(first);
        if (ServerStep.Status != HandshakeStatus.InProgress)
            return false;
        var second = tamper(1, Record(ServerStep.Outbound));
        ClientStep = Client.Receive(second);
        if (!ClientStep.IsComplete)
            return false;
        ClientChannel = ClientStep.Channel;
        var third = tamper(2, Record(ClientStep.Outbound));
        ServerStep = Server.Receive(third);
        if (!ServerStep.IsComplete)
            return false;
        ServerChannel = ServerStep.Channel;
        return true;
    }

    public void Dispose()
    {
        ClientChannel?.Dispose();
        ServerChannel?.Dispose();
        Client.Dispose();
        Server.Dispose();
        ServerKey.Dispose();
    }

    private byte[] Record(byte[] flight)
    {
        Flights.Add(flight);
        return flight;
    }
}
