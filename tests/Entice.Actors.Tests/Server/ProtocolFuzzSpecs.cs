using System.Net.Sockets;
using Akka.Actor;
using Akka.Event;
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
/// The server's protocol handler (the transport actor) fed thousands of random and mutated frames over a
/// real loopback socket. Whatever arrives, no exception may escape: the worst allowed outcome is that the
/// offending connection is closed, with an error frame as the last thing written.
/// </summary>
public sealed class ProtocolFuzzSpecs : TestKit
{
    /// <summary>The errors the transport closes a connection with when its input is broken.</summary>
    private static readonly string[] ClosingCodes = [ErrorCodes.BadFrame, ErrorCodes.FrameTooLarge, ErrorCodes.NotAuthenticated];

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

        var (survived, closedWithError) = (0, 0);
        for (var i = 0; i < 1000; i++)
        {
            var (client, accepted, _) = await OpenAsync(authenticated ? me : null, i, $"fuzzer{i}");
            using (client)
            {
                for (var f = 0; f < 4; f++)
                {
                    if (!await SendAsync(client, Hostile(random, generator)))
                        break;
                    await SocketPair.ReadByServerAsync(accepted); // a read each, as a slow network would split them
                }
                // Our end closes: a connection that survived closes too, without a word; one the bytes broke
                // has said why. Either way every byte written is a whole frame (RawClient checks each).
                client.CloseSending();
                var written = await client.DrainAsync(TimeSpan.FromSeconds(10));
                Assert.True(await client.ClosedByServerAsync(TimeSpan.FromSeconds(1)), "the server closed the connection");
                var fatal = written.FindIndex(m => m is ErrorMessage e && ClosingCodes.Contains(e.Code));
                Assert.True(fatal < 0 || fatal == written.Count - 1, $"written after the closing error: {string.Join(", ", written)}");
                if (fatal < 0)
                    survived++;
                else
                    closedWithError++;
            }
        }
        // Both outcomes happen: the hostile bytes reach the checks that close a connection.
        Assert.True(survived > 0 && closedWithError > 0, $"{survived} survived, {closedWithError} closed with an error");

        await errors.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(500));
        using var honest = new TestIdentity("honest");
        var (honestClient, _, last) = await OpenAsync(honest, -1, "honest");
        using (honestClient)
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

    private async Task<(RawClient Client, Socket Accepted, IActorRef Transport)> OpenAsync(TestIdentity? hello, int n, string name)
    {
        var (accepted, client) = await SocketPair.OpenAsync();
        var transport = Sys.ActorOf(ClientConnection.Props(accepted, accepted.RemoteEndPoint!, _settings, _names, _rooms), $"t{n + 1}");
        var serverHello = Assert.IsType<ServerHello>(await client.ReceiveAsync());
        if (hello is null)
            return (client, accepted, transport);

        var signature = Entice.Crypto.Identity.IdentitySignatures.SignHello(hello.Keys, serverHello.Challenge, name);
        await client.SendAsync(new Hello(ProtocolVersion.Current, name, hello.Bundle, signature));
        Assert.IsType<Welcome>(await client.ReceiveAsync());
        return (client, accepted, transport);
    }

    // False once the server has gone (it closed the connection and our bytes met a reset).
    private static async Task<bool> SendAsync(RawClient client, byte[] bytes)
    {
        try
        {
            await client.SendRawAsync(bytes);
            return true;
        }
        catch (IOException)
        {
            return false;
        }
    }}
