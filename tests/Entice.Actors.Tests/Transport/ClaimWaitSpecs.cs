using System.Net;
using Akka.Actor;
using Akka.IO;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using Entice.Server;
using Entice.Server.Names;
using Entice.Server.Rooms;
using Entice.Tests.Support;
using Entice.Server.Connections;
using Entice.Transport;
using Entice.Wire;

namespace Entice.Tests.Transport;

/// <summary>
/// What a client sends between its hello and its welcome (while the name registry decides) waits and is
/// handled afterwards in order; a client that floods in that window is closed with a clear error
/// instead of the server holding whatever it sends. A probe stands in for the socket and the registry.
/// </summary>
public sealed class ClaimWaitSpecs : TestKit
{
    private static readonly IPEndPoint Remote = new(IPAddress.Loopback, 5555);
    private readonly ServerSettings _settings = new() { EnvelopesPerSecond = 0 };

    public ClaimWaitSpecs() : base("akka.loglevel = WARNING")
    {
    }

    [Fact]
    public async Task Frames_sent_before_the_welcome_are_handled_after_it_in_order()
    {
        var (connection, names, transport) = await HelloAsync("early", WireCodec.EncodeFrame(new Ping(1)));
        transport.Tell(new Tcp.Received(ByteString.FromBytes(WireCodec.EncodeFrame(new Ping(2)))), connection.Ref);
        var claim = await names.ExpectMsgAsync<NameRegistry.Claim>();
        Assert.Equal("early", claim.Name);
        await connection.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(200));

        transport.Tell(new NameRegistry.Claimed("early"), names.Ref);

        var frames = await ReadFramesAsync(connection, transport, 3);
        Assert.IsType<Welcome>(frames[0]);
        Assert.Equal(1UL, Assert.IsType<Pong>(frames[1]).Nonce);
        Assert.Equal(2UL, Assert.IsType<Pong>(frames[2]).Nonce);
    }

    [Fact]
    public async Task A_client_that_floods_before_its_welcome_is_closed_with_a_clear_error()
    {
        // One large frame right behind the hello: a frame count alone would let it wait in memory.
        var flood = FrameEncoder.Frame(new byte[_settings.MaxFrameSize - 16]);
        var (connection, names, transport) = await HelloAsync("flooder");
        await names.ExpectMsgAsync<NameRegistry.Claim>();
        transport.Tell(new Tcp.Received(ByteString.FromBytes(flood)), connection.Ref);

        var error = Assert.IsType<ErrorMessage>((await ReadFramesAsync(connection, transport, 1))[0]);
        Assert.Equal(ErrorCodes.NotAuthenticated, error.Code);
        Assert.Contains("wait for welcome", error.Message, StringComparison.Ordinal);
        await connection.FishForMessageAsync(m => m is Tcp.Close, TimeSpan.FromSeconds(10));

        // Too late: the registry's answer finds a closing connection, nothing more is written.
        transport.Tell(new NameRegistry.Claimed("flooder"), names.Ref);
        await connection.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(300));
    }

    [Fact]
    public async Task Many_small_reads_before_the_welcome_close_the_connection_too()
    {
        var (connection, names, transport) = await HelloAsync("chatty");
        await names.ExpectMsgAsync<NameRegistry.Claim>();
        for (var i = 0; i < 40; i++)
            transport.Tell(new Tcp.Received(ByteString.FromBytes(WireCodec.EncodeFrame(new Ping((ulong)i)))), connection.Ref);

        var error = Assert.IsType<ErrorMessage>((await ReadFramesAsync(connection, transport, 1))[0]);
        Assert.Equal(ErrorCodes.NotAuthenticated, error.Code);
        await connection.FishForMessageAsync(m => m is Tcp.Close, TimeSpan.FromSeconds(10));
    }

    // Opens a transport whose registry is a probe and sends a signed hello (with extra frames in the same read).
    private async Task<(TestProbe Connection, TestProbe Names, IActorRef Transport)> HelloAsync(string name, params byte[][] sameRead)
    {
        var connection = CreateTestProbe();
        var names = CreateTestProbe();
        var rooms = Sys.ActorOf(RoomDirectory.Props(_settings));
        var transport = Sys.ActorOf(ClientConnection.Props(connection.Ref, Remote, _settings, names.Ref, rooms));
        var first = await connection.ExpectMsgAsync<Tcp.Write>();
        var serverHello = Assert.IsType<ServerHello>(Decode(first.Data.ToArray()).Single());
        transport.Tell(first.Ack, connection.Ref);

        using var identity = new TestIdentity(name);
        var signature = Entice.Crypto.Identity.IdentitySignatures.SignHello(identity.Keys, serverHello.Challenge, name);
        var read = new List<byte>(WireCodec.EncodeFrame(new Hello(ProtocolVersion.Current, name, identity.Bundle, signature)));
        foreach (var frame in sameRead)
            read.AddRange(frame);
        transport.Tell(new Tcp.Received(ByteString.FromBytes([.. read])), connection.Ref);
        return (connection, names, transport);
    }

    // Collects written frames, acknowledging each write as the socket would.
    private static async Task<List<WireMessage>> ReadFramesAsync(TestProbe connection, IActorRef transport, int count)
    {
        var frames = new List<WireMessage>();
        while (frames.Count < count)
        {
            var write = await connection.ExpectMsgAsync<Tcp.Write>(TimeSpan.FromSeconds(10));
            frames.AddRange(Decode(write.Data.ToArray()));
            transport.Tell(write.Ack, connection.Ref);
        }
        return frames;
    }

    private static List<WireMessage> Decode(byte[] bytes)
    {
        var payloads = new List<byte[]>();
        Assert.Equal(FrameDecodeStatus.Ok, new FrameDecoder(1 << 20).Feed(bytes, payloads));
        return payloads.Select(p =>
        {
            Assert.True(WireCodec.TryDecode(p, out var message, out var error), error);
            return message;
        }).ToList();
    }
}
