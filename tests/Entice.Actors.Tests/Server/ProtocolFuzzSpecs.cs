using System.Net;
using Akka.Actor;
using Akka.Event;
using Akka.IO;
using Akka.TestKit.Xunit2;
using Entice.Server;
using Entice.Tests.Support;
using Entice.Tests.Wire;
using Entice.Wire;
using Entice.Server.Names;
using Entice.Server.Rooms;
using Entice.Server.Connections;
using Entice.Transport;

namespace Entice.Tests.Server;

/// <summary>
/// The server's protocol handler (the transport actor) fed thousands of random and mutated frames, with a
/// probe standing in for the socket. Whatever arrives, no exception may escape: the worst allowed
/// outcome is that the offending connection is closed.
/// </summary>
public sealed class ProtocolFuzzSpecs : TestKit
{
    private static readonly IPEndPoint Remote = new(IPAddress.Loopback, 5555);
    private readonly ServerSettings _settings = new() { EnvelopesPerSecond = 0 };
    private readonly IActorRef _names;
    private readonly IActorRef _rooms;

    public ProtocolFuzzSpecs() : base("akka.loglevel = WARNING")
    {
        _names = Sys.ActorOf(NameRegistry.Props(), "names");
        _rooms = Sys.ActorOf(RoomDirectory.Props(_settings), "rooms");
    }

    [Theory]
    [InlineData(1, false)]
    [InlineData(2, true)]
    public async Task Random_and_mutated_frames_never_make_an_exception_escape(int seed, bool authenticated)
    {
        var errors = CreateTestProbe();
        Sys.EventStream.Subscribe(errors.Ref, typeof(Error));
        var random = new Random(seed);
        var generator = new WireMessageGenerator(seed);
        using var me = new TestIdentity("fuzzer");

        for (var i = 0; i < 1000; i++)
        {
            var (connection, transport) = await OpenAsync(authenticated ? me : null, i, $"fuzzer{i}");
            for (var f = 0; f < 4; f++)
                transport.Tell(new Tcp.Received(ByteString.FromBytes(Hostile(random, generator))), connection.Ref);
            Sys.Stop(transport);
        }

        await errors.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(500));
        using var honest = new TestIdentity("honest");
        var (_, last) = await OpenAsync(honest, -1, "honest");
        Assert.False(last.IsNobody());
    }

    // Whole random frames, mutated valid frames, random bytes, and valid-looking frames cut short.
    private static byte[] Hostile(Random random, WireMessageGenerator generator)
    {
        var valid = WireCodec.EncodeFrame(generator.Any());
        switch (random.Next(4))
        {
            case 0:
                var junk = new byte[random.Next(1, 300)];
                random.NextBytes(junk);
                return junk;
            case 1:
                for (var k = random.Next(1, 6); k > 0; k--)
                    valid[random.Next(valid.Length)] ^= (byte)(1 << random.Next(8));
                return valid;
            case 2:
                return valid[..random.Next(1, valid.Length)];
            default:
                var payload = new byte[random.Next(1, 200)];
                random.NextBytes(payload);
                return FrameEncoder.Frame(payload);
        }
    }

    private async Task<(Akka.TestKit.TestProbe Connection, IActorRef Transport)> OpenAsync(TestIdentity? hello, int n, string name)
    {
        var connection = CreateTestProbe();
        var transport = Sys.ActorOf(ClientConnection.Props(connection.Ref, Remote, _settings, _names, _rooms), $"t{n + 1}");
        var first = await connection.ExpectMsgAsync<Tcp.Write>();
        if (hello is null)
            return (connection, transport);

        var serverHello = Assert.IsType<ServerHello>(Frames.Decode(first.Data.ToArray()));
        transport.Tell(WriteAckFor(first), connection.Ref);
        var signature = Entice.Crypto.Identity.IdentitySignatures.SignHello(hello.Keys, serverHello.Challenge, name);
        var frame = WireCodec.EncodeFrame(new Hello(ProtocolVersion.Current, name, hello.Bundle, signature));
        transport.Tell(new Tcp.Received(ByteString.FromBytes(frame)), connection.Ref);
        var welcome = await connection.ExpectMsgAsync<Tcp.Write>();
        Assert.IsType<Welcome>(Frames.Decode(welcome.Data.ToArray()));
        transport.Tell(WriteAckFor(welcome), connection.Ref);
        return (connection, transport);
    }

    private static Tcp.Event WriteAckFor(Tcp.Write write) => write.Ack;
}
