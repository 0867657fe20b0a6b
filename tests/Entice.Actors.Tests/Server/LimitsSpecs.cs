using Akka.Actor;
using Entice.Server;
using Entice.Tests.Support;
using Entice.Wire;
using Entice.Transport;

namespace Entice.Tests.Server;

/// <summary>
/// Each limit in hocon/server.conf, hit over real loopback TCP: the offender gets a clear error (or is
/// disconnected), everyone else goes on.
/// </summary>
public sealed class LimitsSpecs : IAsyncDisposable
{
    private readonly TestIdentity _alice = new("alice");
    private readonly TestIdentity _bob = new("bob");
    private readonly TestIdentity _carol = new("carol");
    private readonly List<ActorSystem> _systems = [];

    [Fact]
    public async Task A_connection_that_never_says_hello_is_closed_after_the_handshake_timeout()
    {
        var server = await StartAsync(new ServerSettings { HandshakeTimeout = TimeSpan.FromMilliseconds(300) });
        using var silent = await RawClient.ConnectAsync(server);
        await silent.ReceiveAsync<ServerHello>();

        Assert.Equal(ErrorCodes.HandshakeTimeout, Assert.IsType<ErrorMessage>(await silent.ReceiveAsync()).Code);
        Assert.True(await silent.ClosedByServerAsync());
    }

    [Fact]
    public async Task A_quiet_client_is_pinged_and_one_that_never_answers_is_closed()
    {
        var server = await StartAsync(new ServerSettings
        {
            // Far apart, so a busy machine's late timer cannot skip the ping and go straight to the close.
            HeartbeatInterval = TimeSpan.FromMilliseconds(200), IdleTimeout = TimeSpan.FromSeconds(3),
        });
        using var alice = await JoinedAsync(server, _alice);

        Assert.IsType<Ping>(await alice.ReceiveAsync());   // we never answer
        var error = await alice.ReceiveAsync<ErrorMessage>();

        Assert.Equal(ErrorCodes.IdleTimeout, error.Code);
        Assert.True(await alice.ClosedByServerAsync());
    }

    [Fact]
    public async Task A_client_that_answers_pings_stays_connected()
    {
        var server = await StartAsync(new ServerSettings
        {
            HeartbeatInterval = TimeSpan.FromMilliseconds(200), IdleTimeout = TimeSpan.FromSeconds(3),
        });
        using var alice = await JoinedAsync(server, _alice);

        for (var i = 0; i < 6; i++)
        {
            var ping = Assert.IsType<Ping>(await alice.ReceiveAsync());
            await alice.SendAsync(new Pong(ping.Nonce));
        }
    }

    [Fact]
    public async Task A_flooding_client_is_refused_with_rate_limited_while_others_are_served()
    {
        var server = await StartAsync(new ServerSettings { EnvelopesPerSecond = 5, EnvelopeBurst = 10 });
        using var alice = await JoinedAsync(server, _alice);
        using var bob = await JoinedAsync(server, _bob);
        await alice.ReceiveAsync<MemberJoined>();

        for (ulong i = 0; i < 50; i++)
            await alice.SendAsync(new Envelope("lobby", "", "", i, false, [1]));

        Assert.Equal(ErrorCodes.RateLimited, (await alice.ReceiveAsync<ErrorMessage>()).Code);
        var delivered = 0;
        while (await bob.ReceiveAsync(TimeSpan.FromMilliseconds(500)) is Envelope)
            delivered++;
        Assert.InRange(delivered, 10, 12); // the burst, plus what refilled meanwhile
        await bob.SendAsync(new Envelope("lobby", "", "alice", 99, true, [2]));
        Assert.Equal(99UL, (await bob.ReceiveAsync<EnvelopeAck>()).Id);
    }

    [Fact]
    public async Task Joining_more_rooms_than_allowed_is_refused()
    {
        var server = await StartAsync(new ServerSettings { MaxRoomsPerClient = 2 });
        using var alice = await JoinedAsync(server, _alice);
        await alice.SendAsync(new JoinRoom("second"));
        await alice.ReceiveAsync<RoomJoined>();

        await alice.SendAsync(new JoinRoom("third"));

        Assert.Equal(ErrorCodes.TooManyRooms, (await alice.ReceiveAsync<ErrorMessage>()).Code);
    }

    [Fact]
    public async Task Connections_past_the_maximum_are_told_overloaded()
    {
        var server = await StartAsync(new ServerSettings { MaxConnections = 1 });
        using var alice = await JoinedAsync(server, _alice);

        // Refused at accept, before any channel: one plaintext error frame, which a real client shows
        // (ServerConnectionActor reads a plaintext refusal while it waits for the handshake's answer).
        using var extra = await RawClient.ConnectAsync(server, plaintext: true);

        Assert.Equal(ErrorCodes.Overloaded, Assert.IsType<ErrorMessage>(await extra.ReceiveAsync()).Code);
        await alice.SendAsync(new Ping(1));
        Assert.Equal(1UL, (await alice.ReceiveAsync<Pong>()).Nonce);
    }

    [Fact]
    public async Task A_client_that_stops_reading_is_disconnected_and_the_others_get_everything()
    {
        // The default queue (4 MiB) and a sender held to 2,000 envelopes/s: a reader that keeps up never
        // comes near the limit, even on a busy machine; one that stops reading soon does.
        var server = await StartAsync(new ServerSettings { EnvelopesPerSecond = 2000, EnvelopeBurst = 200 });
        using var alice = await JoinedAsync(server, _alice);
        using var bob = await JoinedAsync(server, _bob);
        using var slow = await JoinedAsync(server, _carol, receiveBufferBytes: 4096); // never reads again
        await alice.ReceiveAsync<MemberJoined>();
        await alice.ReceiveAsync<MemberJoined>();
        await bob.ReceiveAsync<MemberJoined>();

        const int count = 2000; // 16 MB: more than the kernel buffers plus carol's 4 MiB queue can hold
        var payload = new byte[8 * 1024];
        var received = Task.Run(async () =>
        {
            var n = 0;
            while (n < count && await bob.ReceiveAsync(TimeSpan.FromSeconds(20)) is { } m)
            {
                if (m is Envelope)
                    n++;
            }
            return n;
        });
        // Like a real client, alice keeps a bounded number of envelopes in flight (acked once routed).
        var carolLeft = false;
        const int window = 32;
        for (ulong i = 0; i < count; i++)
        {
            if (i >= window)
            {
                var m = await alice.ReceiveAsync();
                while (m is MemberLeft or MemberAway)
                {
                    carolLeft |= m is MemberAway { Member.Name: "carol" } or MemberLeft { Name: "carol" };
                    m = await alice.ReceiveAsync();
                }
                Assert.IsType<EnvelopeAck>(m);
            }
            await alice.SendAsync(new Envelope("lobby", "", "", i, false, payload));
            if (i % 20 == 19)
                await Task.Delay(15); // stay under the server's 2,000/s limit
        }

        Assert.Equal(count, await received);
        while (!carolLeft && await alice.ReceiveAsync() is { } m)
            carolLeft = m is MemberAway { Member.Name: "carol" } or MemberLeft { Name: "carol" };
        Assert.True(carolLeft, "the stalled client was disconnected");
    }

    [Fact]
    public async Task A_listening_socket_that_dies_is_bound_again_on_the_same_port()
    {
        var (system, endpoint) = await LocalNodes.StartServerAsync();
        _systems.Add(system);
        var listener = await system.ActorSelection("/user/relay/listener").ResolveOne(TimeSpan.FromSeconds(3));
        var socket = Assert.IsType<System.Net.Sockets.Socket>(await listener.Ask<object>(new Listener.GetSocket()));

        socket.Dispose();

        await Eventually.HoldsAsync(async () =>
            await listener.Ask<object>(new Listener.GetSocket()) is System.Net.Sockets.Socket current && !ReferenceEquals(current, socket));
        using var bob = await RawClient.ConnectAsync(endpoint);
        Assert.IsType<Welcome>(await bob.HelloAsync(_bob));
    }


    [Fact]
    public async Task Shutting_down_tells_every_client_why()
    {
        var (system, endpoint) = await LocalNodes.StartServerAsync();
        using var alice = await JoinedAsync(endpoint, _alice);

        var terminated = system.Terminate();

        Assert.Equal(ErrorCodes.ServerShutdown, (await alice.ReceiveAsync<ErrorMessage>()).Code);
        Assert.True(await alice.ClosedByServerAsync());
        await terminated;
    }

    private async Task<System.Net.IPEndPoint> StartAsync(ServerSettings settings)
    {
        var (system, endpoint) = await LocalNodes.StartServerAsync(settings);
        _systems.Add(system);
        return endpoint;
    }

    private static async Task<RawClient> JoinedAsync(System.Net.IPEndPoint server, TestIdentity who, int? receiveBufferBytes = null)
    {
        var c = await RawClient.ConnectAsync(server, receiveBufferBytes);
        Assert.IsType<Welcome>(await c.HelloAsync(who));
        await c.SendAsync(new JoinRoom("lobby"));
        await c.ReceiveAsync<RoomJoined>();
        return c;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var s in _systems)
            await s.Terminate();
        _alice.Dispose();
        _bob.Dispose();
        _carol.Dispose();
    }
}
