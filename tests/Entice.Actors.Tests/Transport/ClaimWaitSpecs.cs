using System.Net.Sockets;
using Akka.Actor;
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
/// instead of the server holding whatever it sends. The transport runs on a real loopback socket; a probe
/// stands in for the registry.
/// </summary>
public sealed class ClaimWaitSpecs : TestKit
{
    private readonly ServerSettings _settings = new() { EnvelopesPerSecond = 0 };
    private readonly List<IDisposable> _open = [];

    public ClaimWaitSpecs() : base("akka.loglevel = WARNING")
    {
    }

    [Fact]
    public async Task Frames_sent_before_the_welcome_are_handled_after_it_in_order()
    {
        var (client, accepted, names, transport) = await HelloAsync("early", WireCodec.EncodeFrame(new Ping(1)));
        var claim = await names.ExpectMsgAsync<NameRegistry.Claim>();
        Assert.Equal("early", claim.Name);
        await client.SendAsync(new Ping(2));
        await SocketPair.ReadByServerAsync(accepted); // read while claiming
        Assert.Null(await client.ReceiveAsync(TimeSpan.FromMilliseconds(200))); // and not answered yet

        transport.Tell(new NameRegistry.Claimed("early"), names.Ref);

        Assert.IsType<Welcome>(await client.ReceiveAsync());
        Assert.Equal(1UL, Assert.IsType<Pong>(await client.ReceiveAsync()).Nonce);
        Assert.Equal(2UL, Assert.IsType<Pong>(await client.ReceiveAsync()).Nonce);
    }

    [Fact]
    public async Task A_client_that_floods_before_its_welcome_is_closed_with_a_clear_error()
    {
        // One large frame right behind the hello: a frame count alone would let it wait in memory.
        var flood = FrameEncoder.Frame(new byte[_settings.MaxFrameSize - 16]);
        var (client, _, names, transport) = await HelloAsync("flooder");
        await names.ExpectMsgAsync<NameRegistry.Claim>();
        await client.SendRawAsync(flood);

        var error = Assert.IsType<ErrorMessage>(await client.ReceiveAsync());
        Assert.Equal(ErrorCodes.NotAuthenticated, error.Code);
        Assert.Contains("wait for welcome", error.Message, StringComparison.Ordinal);

        // Too late: the registry's answer finds a closing connection, nothing more is written.
        Watch(transport);
        transport.Tell(new NameRegistry.Claimed("flooder"), names.Ref);
        Assert.Null(await client.ReceiveAsync());
        client.Dispose();
        await ExpectTerminatedAsync(transport, TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Many_small_reads_before_the_welcome_close_the_connection_too()
    {
        var (client, accepted, names, _) = await HelloAsync("chatty");
        await names.ExpectMsgAsync<NameRegistry.Claim>();
        for (var i = 0; i < 40; i++)
        {
            // Each ping a read of its own: a few hundred bytes in all, so only the count of reads is past its bound.
            try
            {
                await client.SendAsync(new Ping((ulong)i));
            }
            catch (IOException)
            {
                break; // closed already
            }
            await SocketPair.ReadByServerAsync(accepted);
        }

        var answer = await client.ReceiveAsync();
        Assert.Equal(ErrorCodes.NotAuthenticated, Assert.IsType<ErrorMessage>(answer).Code);
        Assert.True(await client.ClosedByServerAsync());
    }

    // Opens a transport on a loopback socket, with a probe as its registry, and sends a signed hello
    // (with extra frames in the same write).
    private async Task<(RawClient Client, Socket Accepted, TestProbe Names, IActorRef Transport)> HelloAsync(string name, params byte[][] sameRead)
    {
        var (accepted, client) = await SocketPair.OpenAsync();
        _open.Add(client);
        var names = CreateTestProbe();
        var rooms = Sys.ActorOf(RoomDirectory.Props(_settings));
        var transport = Sys.ActorOf(ClientConnection.Props(accepted, accepted.RemoteEndPoint!, _settings, names.Ref, rooms));
        var serverHello = Assert.IsType<ServerHello>(await client.ReceiveAsync());

        using var identity = new TestIdentity(name);
        var signature = Entice.Crypto.Identity.IdentitySignatures.SignHello(identity.Keys, serverHello.Challenge, name);
        var read = new List<byte>(WireCodec.EncodeFrame(new Hello(ProtocolVersion.Current, name, identity.Bundle, signature)));
        foreach (var frame in sameRead)
            read.AddRange(frame);
        await client.SendRawAsync([.. read]);
        return (client, accepted, names, transport);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            foreach (var c in _open)
                c.Dispose();
        base.Dispose(disposing);
    }
}
