using Akka.Actor;
using Entice.Server;
using Entice.Tests.Support;
using Entice.Transport;
using Entice.Wire;

namespace Entice.Tests.Transport.Sockets;

/// <summary>
/// entice.server.transport: both ways of doing the server's IO serve clients the same (the rest of the
/// suite runs on the default, sockets), and a value that is neither is refused at start.
/// </summary>
public sealed class ServerTransportSpecs : IAsyncDisposable
{
    private readonly List<ActorSystem> _systems = [];
    private readonly TestIdentity _alice = new("alice");
    private readonly TestIdentity _bob = new("bob");
    private readonly TempDirs _dirs = new();

    [Theory]
    [InlineData(ServerTransportKind.Sockets)]
    [InlineData(ServerTransportKind.AkkaIo)]
    public async Task Either_transport_welcomes_clients_relays_between_them_and_closes_a_silent_one(ServerTransportKind transport)
    {
        var (system, endpoint) = await LocalNodes.StartServerAsync(new ServerSettings { Transport = transport, HandshakeTimeout = TimeSpan.FromSeconds(1) });
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

    [Fact]
    public async Task A_transport_that_is_neither_is_one_line_and_exit_2()
    {
        var conf = _dirs.New("entice-test-conf-");
        await File.WriteAllTextAsync(conf, "entice.server.transport = carrier-pigeon\n");

        var (code, _, stderr) = await ServerProcess.RunToExitAsync(TimeSpan.FromSeconds(10), "--port", "0", "--config", conf);

        Assert.Equal(2, code);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("entice.server.transport must be akka-io or sockets, not 'carrier-pigeon'", line, StringComparison.Ordinal);
        File.Delete(conf);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var s in _systems)
            await s.Terminate();
        _alice.Dispose();
        _bob.Dispose();
        _dirs.Dispose();
    }
}
