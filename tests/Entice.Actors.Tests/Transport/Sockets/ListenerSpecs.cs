using System.Net;
using Akka.Actor;
using Entice.Config;
using Entice.Server;
using Entice.Tests.Support;
using Entice.Wire;

namespace Entice.Tests.Transport.Sockets;

/// <summary>
/// The server's listener end to end: it welcomes clients, relays between them and closes a silent one;
/// it listens on a host given by name once the name is resolved, and a name that resolves to nothing is a
/// clear start failure.
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

    [Fact]
    public async Task A_host_name_is_resolved_and_listened_on()
    {
        var system = ActorSystem.Create("server-" + Guid.NewGuid().ToString("N")[..8],
            Akka.Configuration.ConfigurationFactory.ParseString("akka.loglevel = WARNING").WithFallback(EnticeConfig.Server()));
        _systems.Add(system);

        var started = await RelayServer.StartAsync(system, new ServerSettings { Host = "localhost", Port = 0 });

        Assert.True(IPAddress.IsLoopback(started.Endpoint.Address), $"bound to {started.Endpoint}");
        using var alice = await RawClient.ConnectAsync(started.Endpoint);
        Assert.IsType<Welcome>(await alice.HelloAsync(_alice));
    }

    [Fact]
    public async Task A_host_name_that_does_not_resolve_is_one_line_naming_it_and_exit_2()
    {
        // .invalid never resolves (RFC 6761).
        var (code, stdout, stderr) = await ServerProcess.RunToExitAsync(TimeSpan.FromSeconds(20), "--host", "no-such-host.invalid", "--port", "0");

        Assert.True(code == 2 && stdout.Trim().Length == 0, $"exit {code}; stdout: {stdout}; stderr: {stderr}");
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("entice-server: cannot listen on no-such-host.invalid:0: the host name 'no-such-host.invalid' cannot be resolved", line, StringComparison.Ordinal);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var s in _systems)
            await s.Terminate();
        _alice.Dispose();
        _bob.Dispose();
    }
}
