using System.Buffers.Binary;
using Akka.Actor;
using Entice.Server;
using Entice.Tests.Support;
using Entice.Wire;
using Entice.Transport;

namespace Entice.Tests.Hostile;

/// <summary>
/// Attack 10: connections that announce a 64 KiB frame before saying who they are, each costing the
/// server a 64 KiB buffer (4,000 of them: +477 MB). Raw attackers over real sockets against a real
/// server: before hello at most a hello-sized frame is read, and buffers of incomplete frames grow with
/// what has arrived, under a server-wide budget.
/// </summary>
public sealed class Attack10PreHelloMemorySpecs : IAsyncDisposable
{
    private readonly TestNodes _nodes = new();

    [Fact]
    public async Task Connections_announcing_a_large_frame_before_hello_are_closed_at_once_and_hold_nothing()
    {
        var (server, budget) = await StartAsync(new ServerSettings());
        var attackers = await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => RawClient.ConnectAsync(server)));
        try
        {
            await Task.WhenAll(attackers.Select(a => a.SendRawAsync(Announce(64 * 1024, bodyBytes: 500))));

            var answers = await Task.WhenAll(attackers.Select(async a =>
            {
                await a.ReceiveAsync<ServerHello>();
                return (await a.ReceiveAsync(TimeSpan.FromSeconds(3)) as ErrorMessage)?.Code;
            }));

            Assert.All(answers, code => Assert.Equal(ErrorCodes.FrameTooLarge, code)); // not a 5 s wait for the handshake timeout
            Assert.Equal(0, budget.Reserved);
        }
        finally
        {
            foreach (var a in attackers)
                a.Dispose();
        }
    }

    [Fact]
    public async Task Incomplete_frames_of_authenticated_clients_stay_within_the_server_wide_budget()
    {
        var (server, budget) = await StartAsync(new ServerSettings { FrameBufferBudget = 256 * 1024 });
        var attackers = new List<RawClient>();
        var identities = Enumerable.Range(0, 6).Select(i => new TestIdentity($"mallory{i}")).ToList();
        try
        {
            var overloaded = 0;
            foreach (var who in identities)
            {
                var a = await RawClient.JoinedAsync(server, who);
                attackers.Add(a);
                await a.SendRawAsync(Announce(60_000, bodyBytes: 50_000));
                if (await a.ReceiveAsync(TimeSpan.FromMilliseconds(500)) is ErrorMessage { Code: ErrorCodes.Overloaded })
                    overloaded++;
                Assert.InRange(budget.Reserved, 0, budget.Limit);
            }

            Assert.InRange(overloaded, 1, 2); // 4 buffers of 60,000 bytes fit in 256 KiB, the 5th and 6th do not
            using var honest = new TestIdentity("honest");
            using var h = await RawClient.JoinedAsync(server, honest);
            await h.SendAsync(new Ping(7));
            Assert.Equal(7UL, (await h.ReceiveAsync<Pong>()).Nonce);
        }
        finally
        {
            foreach (var a in attackers)
                a.Dispose();
            identities.ForEach(i => i.Dispose());
        }
        await Eventually.HoldsAsync(() => Task.FromResult(budget.Reserved == 0)); // closed connections give it back
    }

    private async Task<(System.Net.IPEndPoint Server, FrameBudget Budget)> StartAsync(ServerSettings settings)
    {
        var (system, endpoint) = await _nodes.ServerAsync(settings);
        var listener = system.ActorSelection($"/user/{RelayServer.ActorName}/listener");
        var budget = await listener.Ask<FrameBudget>(new Listener.GetFrameBudget(), TimeSpan.FromSeconds(5));
        return (endpoint, budget);
    }

    /// <summary>A frame header announcing <paramref name="length"/> bytes, and the first bytes of its body.</summary>
    private static byte[] Announce(int length, int bodyBytes)
    {
        var bytes = new byte[4 + bodyBytes];
        BinaryPrimitives.WriteInt32BigEndian(bytes, length);
        return bytes;
    }

    public ValueTask DisposeAsync() => _nodes.DisposeAsync();
}
