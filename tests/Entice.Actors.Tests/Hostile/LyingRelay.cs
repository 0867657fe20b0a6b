using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Entice.Tests.Support;
using Entice.Wire;

namespace Entice.Tests.Hostile;

/// <summary>
/// A relay that lies, for attacks only the relay (or whoever sits on the LAN between client and relay) can
/// make: it speaks the wire protocol to one real client over a real socket (127.0.0.1), lets it in, and
/// then sends whatever the spec says: rosters with chosen bundles, envelopes "from" anyone, with any id.
/// </summary>
internal sealed class LyingRelay : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private RawClient? _client;

    public LyingRelay() => _listener.Start();

    public IPEndPoint Endpoint => (IPEndPoint)_listener.LocalEndpoint;

    /// <summary>The client's hello (its name and bundle), once <see cref="AcceptAsync"/> returned.</summary>
    public Hello Hello { get; private set; } = null!;

    public MemberInfo Client => new(Hello.Name, Hello.Identity);

    /// <summary>Accepts the client, welcomes it, and waits for it to ask to join a room.</summary>
    public async Task<string> AcceptAsync()
    {
        _client = RawClient.Accepted(await _listener.AcceptTcpClientAsync());
        await _client.SendAsync(new ServerHello(ProtocolVersion.Current, RandomNumberGenerator.GetBytes(32)));
        Hello = await _client.ReceiveAsync<Hello>();
        await _client.SendAsync(new Welcome(Hello.Name));
        return (await _client.ReceiveAsync<JoinRoom>()).Room;
    }

    public Task SendAsync(WireMessage message) => _client!.SendAsync(message);

    public void Dispose()
    {
        _client?.Dispose();
        _listener.Stop();
    }
}
