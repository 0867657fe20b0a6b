using System.Buffers.Binary;
using Entice.Client;
using Entice.Tests.Support;
using Entice.Wire;
using Entice.Crypto.Identity;

namespace Entice.Tests.Integration;

/// <summary>Many connections at once, honest and not: delivery is asserted, never timing.</summary>
public sealed class CrowdSpecs : IAsyncLifetime
{
    private readonly List<IDisposable> _raw = [];
    private readonly TestNodes _nodes = new();
    private System.Net.IPEndPoint _endpoint = null!;

    public async Task InitializeAsync()
    {
        (_, _endpoint) = await _nodes.ServerAsync();
    }

    public async Task DisposeAsync()
    {
        foreach (var r in _raw)
            r.Dispose();
        await _nodes.DisposeAsync();
    }

    [Fact]
    public async Task A_conversation_goes_on_while_garbage_stalled_and_half_sent_connections_are_open()
    {
        var random = new Random(7);
        for (var i = 0; i < 30; i++)
        {
            var garbage = await Raw();
            var junk = new byte[random.Next(1, 2000)];
            random.NextBytes(junk);
            await garbage.SendRawAsync(junk);

            await Raw(); // stalled: connects and says nothing

            var half = await Raw();
            var header = new byte[4];
            BinaryPrimitives.WriteInt32BigEndian(header, 1000);
            await half.SendRawAsync([.. header, .. new byte[10]]); // a frame that never completes
        }

        var alice = await Start("alice").ReadyAsync();
        var bob = await Start("bob").ReadyAsync();
        await alice.View.NextAsync<MemberJoinedEvent>(j => j.Name == "bob");
        for (var i = 0; i < 50; i++)
        {
            alice.Type($"ping {i}");
            bob.Type($"pong {i}");
        }

        for (var i = 0; i < 50; i++)
        {
            Assert.Equal($"ping {i}", (await bob.View.NextAsync<MessageEvent>()).Text);
            Assert.Equal($"pong {i}", (await alice.View.NextAsync<MessageEvent>()).Text);
        }
    }

    [Fact]
    public async Task Two_hundred_clients_in_ten_rooms_exchange_twenty_thousand_messages_exactly_once_in_order()
    {
        const int clients = 200, rooms = 10, perClient = 100;
        using var keys = new TestIdentity("load");
        var members = new RawClient[clients];
        for (var i = 0; i < clients; i++)
        {
            members[i] = await Raw();
            var hello = await members[i].ReceiveAsync<ServerHello>();
            var name = $"c{i}";
            var signature = Entice.Crypto.Identity.IdentitySignatures.SignHello(keys.Keys, hello.Challenge, name);
            await members[i].SendAsync(new Hello(ProtocolVersion.Current, name, keys.Bundle, signature));
            await members[i].ReceiveAsync<Welcome>();
            await members[i].SendAsync(new JoinRoom($"room{i % rooms}"));
            await members[i].ReceiveAsync<RoomJoined>();
        }

        // Each receiver checks every sender's sequence: no gap, no copy, no reordering.
        var perRoom = clients / rooms;
        var expectedEach = (perRoom - 1) * perClient;
        var readers = members.Select((m, i) => Task.Run(async () =>
        {
            var next = new Dictionary<int, int>();
            var got = 0;
            while (got < expectedEach)
            {
                var message = await m.ReceiveAsync(TimeSpan.FromSeconds(60));
                if (message is null)
                    return $"c{i} got {got} of {expectedEach}";
                if (message is not Envelope e)
                    continue;
                var sender = BinaryPrimitives.ReadInt32BigEndian(e.Ciphertext);
                var seq = BinaryPrimitives.ReadInt32BigEndian(e.Ciphertext.AsSpan(4));
                if (sender % rooms != i % rooms || $"c{sender}" != e.Sender)
                    return $"c{i} got an envelope from c{sender} of another room";
                if (seq != next.GetValueOrDefault(sender))
                    return $"c{i} expected #{next.GetValueOrDefault(sender)} from c{sender}, got #{seq}";
                next[sender] = seq + 1;
                got++;
            }
            return null;
        })).ToArray();

        var senders = members.Select((m, i) => Task.Run(async () =>
        {
            for (var seq = 0; seq < perClient; seq++)
            {
                var payload = new byte[64];
                BinaryPrimitives.WriteInt32BigEndian(payload, i);
                BinaryPrimitives.WriteInt32BigEndian(payload.AsSpan(4), seq);
                await m.SendAsync(new Envelope($"room{i % rooms}", "", "", (ulong)seq, false, payload));
            }
        })).ToArray();
        await Task.WhenAll(senders);

        var failures = (await Task.WhenAll(readers)).Where(f => f is not null).ToList();
        Assert.Empty(failures);
    }

    private async Task<RawClient> Raw()
    {
        var c = await RawClient.ConnectAsync(_endpoint);
        _raw.Add(c);
        return c;
    }

    private TestClient Start(string name) => _nodes.Client(name, _endpoint);
}
