using Akka.Actor;
using Entice.Server;
using Entice.Tests.Support;
using Entice.Wire;

namespace Entice.Tests.Transport.Sockets;

/// <summary>
/// The server's listener end to end: it welcomes clients, relays between them and closes a silent one.
/// </summary>
public sealed class ListenerSpecs : IAsyncDisposable
{
    private readonly List<ActorSystem> _systems = [];
    private readonly TestIdentity _alice = new("alice");
    private readonly TestIdentity _bob = new("bob");

    [Fact]
    public async Task The_listener_welcomes_clients_relays_between_them_and_closes_a_silent_one()
    {
        var (system, endpoint) = await LocalNodes.StartServerAsync(new ServerSettings { HandshakeTimeout = TimeSpan.FromSeconds(1) });
        _systems.Add(system);

        using var alice = await RawClient.JoinedAsync(endpoint, _alice);
        using var bob = await RawClient.JoinedAsync(endpoint, _bob);
        await alice.SendAsync(new Envelope("lobby", "", "bob", 1, true, [1, 2, 3]));
        var delivered = await bob.ReceiveAsync<Envelope>();
        Assert.Equal("alice", delivered.Sender);
        Assert.Equal(new byte[] { 1, 2, 3 }, delivered.Ciphertext);

        using var silent = await RawClient.ConnectAsync(endpoint);
        Assert.IsType<ServerHello>(await silent.ReceiveAsync());
        Assert.Equal(ErrorCodes.HandshakeTimeout, (await silent.ReceiveAsync<ErrorMessage>()).Code);
        Assert.True(await silent.ClosedByServerAsync());
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var s in _systems)
            await s.Terminate();
        _alice.Dispose();
        _bob.Dispose();
    }
}
