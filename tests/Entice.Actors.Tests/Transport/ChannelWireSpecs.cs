using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using Entice.Channels;
using Entice.Server;
using Entice.Tests.Support;
using Entice.Transport;
using Entice.Wire;

namespace Entice.Tests.Transport;

/// <summary>
/// The encrypted channel as wired into both connection actors, over loopback sockets: what a LAN
/// attacker can try (tamper, replay, a plaintext client, a server with another key) gets nowhere, and
/// an honest conversation goes through.
/// </summary>
public sealed class ChannelWireSpecs : TestKit
{
    private readonly TempDirs _dirs = new();

    public ChannelWireSpecs() : base(Akka.Configuration.ConfigurationFactory.ParseString("akka.loglevel = WARNING").WithFallback(Entice.Config.EnticeConfig.Server()))
    {
    }

    private async Task<RelayServer.Started> StartRelayAsync(bool channel = true) =>
        await RelayServer.StartAsync(Sys, new ServerSettings { Host = "127.0.0.1", Port = 0, ChannelEnabled = channel });

    private static DnsEndPoint Dns(IPEndPoint ep) => new(ep.Address.ToString(), ep.Port);

    [Fact]
    public async Task A_conversation_goes_through_the_channel_and_the_server_key_is_the_one_it_reports()
    {
        var relay = await StartRelayAsync();
        using var alice = new TestIdentity("alice");
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(relay.Endpoint.Address, relay.Endpoint.Port);
        var stream = await ChannelStream.ConnectAsync(tcp.GetStream(), relay.Fingerprint);
        Assert.Equal(relay.Fingerprint, stream.Peer);

        using var a = await RawClient.JoinedAsync(relay.Endpoint, alice);
        await a.SendAsync(new Ping(42));
        Assert.Equal(42UL, (await a.ReceiveAsync<Pong>()).Nonce);
    }

    [Fact]
    public async Task A_flipped_byte_kills_only_that_connection()
    {
        var relay = await StartRelayAsync();
        using var alice = new TestIdentity("alice");
        using var bob = new TestIdentity("bob");
        using var a = await RawClient.JoinedAsync(relay.Endpoint, alice);
        using var b = await RawClient.JoinedAsync(relay.Endpoint, bob);

        // A record whose ciphertext was altered on the way (well-formed length, bytes that do not authenticate).
        var record = new byte[2 + 80];
        record[1] = 80;
        record[10] = 1;
        await a.SendUnderChannelAsync(record);

        Assert.True(await a.ClosedByServerAsync());
        await b.SendAsync(new Ping(7));
        Assert.Equal(7UL, (await b.ReceiveAsync<Pong>()).Nonce);
    }

    [Fact]
    public async Task A_plaintext_or_old_client_is_told_clearly_and_closed()
    {
        var relay = await StartRelayAsync();
        using var old = await RawClient.ConnectAsync(relay.Endpoint, plaintext: true);
        await old.SendAsync(new Ping(1));

        var refusal = Assert.IsType<ErrorMessage>(await old.ReceiveAsync());
        Assert.Equal(ErrorCodes.UnsupportedVersion, refusal.Code);
        Assert.Contains("encrypted channel", refusal.Message, StringComparison.Ordinal);
        Assert.True(await old.ClosedByServerAsync());
    }

    [Fact]
    public async Task A_recorded_handshake_and_session_replayed_get_nowhere()
    {
        var relay = await StartRelayAsync();
        using var alice = new TestIdentity("alice");
        // Record everything an honest client sends: handshake, hello, join.
        var recorded = new MemoryStream();
        using (var tcp = new TcpClient())
        {
            await tcp.ConnectAsync(relay.Endpoint.Address, relay.Endpoint.Port);
            var wire = tcp.GetStream();
            using var hs = ChannelHandshake.Initiator(ChannelStream.Settings, relay.Fingerprint);
            var first = hs.Start();
            recorded.Write(first);
            await wire.WriteAsync(first);
            var buffer = new byte[4096];
            HandshakeStep step;
            do
            {
                var n = await wire.ReadAsync(buffer);
                step = hs.Receive(buffer.AsSpan(0, n));
                recorded.Write(step.Outbound);
                await wire.WriteAsync(step.Outbound);
            }
            while (!step.IsComplete);
            using var channel = step.Channel;
            var n2 = await wire.ReadAsync(buffer);
            var hello = Assert.IsType<ServerHello>(DecodeOne(channel.Open(buffer.AsSpan(0, n2)).Frames[0]));
            var signature = Entice.Crypto.Identity.IdentitySignatures.SignHello(alice.Keys, hello.Challenge, alice.Name);
            var sealedHello = channel.Seal(WireCodec.EncodeFrame(new Hello(ProtocolVersion.Current, alice.Name, alice.Bundle, signature)));
            recorded.Write(sealedHello);
            await wire.WriteAsync(sealedHello);
            var n3 = await wire.ReadAsync(buffer);
            Assert.IsType<Welcome>(DecodeOne(channel.Open(buffer.AsSpan(0, n3)).Frames[0]));
        }

        // The same bytes on a new connection: the server's fresh ephemeral makes the old third message fail.
        using var replay = new TcpClient();
        await replay.ConnectAsync(relay.Endpoint.Address, relay.Endpoint.Port);
        var s = replay.GetStream();
        // Played in turn, as the recording went: the first message, the server's (fresh) answer, the rest.
        var bytes = recorded.ToArray();
        var firstLength = ChannelProtocol.OpeningLength + ChannelProtocol.LengthPrefix + ChannelProtocol.HandshakeMessageLengths[0];
        await s.WriteAsync(bytes.AsMemory(0, firstLength));
        var fresh = new byte[ChannelProtocol.LengthPrefix + ChannelProtocol.HandshakeMessageLengths[1]];
        await s.ReadExactlyAsync(fresh);
        await s.WriteAsync(bytes.AsMemory(firstLength));
        var got = new MemoryStream();
        got.Write(fresh);
        var chunk = new byte[4096];
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        try
        {
            int n;
            while ((n = await s.ReadAsync(chunk, cts.Token)) > 0)
                got.Write(chunk, 0, n);
        }
        catch (IOException)
        {
        }
        Assert.False(cts.IsCancellationRequested, "the server kept the replaying connection open");
        // Only the server's (fresh) handshake answer came back, then at most its plaintext refusal: no
        // ServerHello, no Welcome, nothing the recorded session asked for.
        var answer = ChannelProtocol.LengthPrefix + ChannelProtocol.HandshakeMessageLengths[1];
        Assert.True(got.Length >= answer);
        var frames = new List<byte[]>();
        var decoder = new FrameDecoder(64 * 1024);
        Assert.Equal(FrameDecodeStatus.Ok, decoder.Feed(got.ToArray().AsSpan(answer), frames));
        Assert.Equal(0, decoder.BufferedBytes);
        Assert.All(frames, f => Assert.IsType<ErrorMessage>(DecodeOne([0, 0, 0, 0, .. f])));
    }

    [Fact]
    public async Task A_wrong_expected_fingerprint_is_refused_before_anything_is_sent()
    {
        var relay = await StartRelayAsync();
        var wrong = ServerFingerprint.Parse(new string('a', 40));
        var owner = CreateTestProbe();
        var options = new ServerLinkOptions
        {
            Servers = [Dns(relay.Endpoint)],
            ServerKeys = new Dictionary<string, ServerFingerprint> { [ServerTarget.KeyOf(Dns(relay.Endpoint))] = wrong },
        };
        Sys.ActorOf(ServerConnection.Props(options, owner.Ref));

        var refused = await owner.ExpectMsgAsync<ServerConnection.ServerKeyRefused>(TimeSpan.FromSeconds(15));
        Assert.Contains(relay.Fingerprint.ToString(), refused.Reason, StringComparison.Ordinal);
        Assert.Contains(wrong.ToString(), refused.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task First_contact_pins_a_changed_key_stops_with_the_clear_error_and_a_given_key_accepts_it()
    {
        var relay = await StartRelayAsync();
        var dir = _dirs.New();
        var server = Dns(relay.Endpoint);
        var options = new ServerLinkOptions { Servers = [server], PinDirectory = dir };

        // First contact: pinned, connected, the fingerprint reported.
        var owner = CreateTestProbe();
        Sys.ActorOf(ServerConnection.Props(options, owner.Ref));
        var connected = await owner.ExpectMsgAsync<ServerConnection.Connected>(TimeSpan.FromSeconds(15));
        Assert.Equal(relay.Fingerprint, connected.Fingerprint);
        Assert.Equal(relay.Fingerprint, ServerPins.Load(dir).Get(server));

        // The pin says another key: stop, naming the address, both keys and how to accept.
        var old = ServerFingerprint.Parse(new string('b', 40));
        ServerPins.Load(dir).Accept(server, old);
        var owner2 = CreateTestProbe();
        Sys.ActorOf(ServerConnection.Props(options, owner2.Ref));
        var refused = await owner2.FishForMessageAsync<ServerConnection.ServerKeyRefused>(_ => true, TimeSpan.FromSeconds(15));
        Assert.Contains("SERVER KEY CHANGED", refused.Reason, StringComparison.Ordinal);
        Assert.Contains(ServerTarget.KeyOf(server), refused.Reason, StringComparison.Ordinal);
        Assert.Contains(old.ToString(), refused.Reason, StringComparison.Ordinal);
        Assert.Contains(relay.Fingerprint.ToString(), refused.Reason, StringComparison.Ordinal);
        Assert.Contains($"--server {ServerTarget.KeyOf(server)}@{relay.Fingerprint.ToCompactString()}", refused.Reason, StringComparison.Ordinal);
        Assert.Equal(old, ServerPins.Load(dir).Get(server));

        // Accepting deliberately: the new key given up front replaces the pin.
        var owner3 = CreateTestProbe();
        Sys.ActorOf(ServerConnection.Props(options with
        {
            ServerKeys = new Dictionary<string, ServerFingerprint> { [ServerTarget.KeyOf(server)] = relay.Fingerprint },
        }, owner3.Ref));
        await owner3.FishForMessageAsync<ServerConnection.Connected>(_ => true, TimeSpan.FromSeconds(15));
        await Eventually.HoldsAsync(() => Task.FromResult(relay.Fingerprint.Equals(ServerPins.Load(dir).Get(server))), TimeSpan.FromSeconds(15));
    }

    [Fact]
    public async Task A_plaintext_server_is_refused_clearly_by_the_client()
    {
        var relay = await StartRelayAsync(channel: false);
        var owner = CreateTestProbe();
        Sys.ActorOf(ServerConnection.Props(new ServerLinkOptions { Servers = [Dns(relay.Endpoint)] }, owner.Ref));

        var failed = await owner.FishForMessageAsync<ServerConnection.ConnectFailed>(_ => true, TimeSpan.FromSeconds(15));
        Assert.Contains("plaintext", failed.Reason, StringComparison.Ordinal);
    }

    private static WireMessage DecodeOne(byte[] frame)
    {
        Assert.True(WireCodec.TryDecode(frame.AsSpan(4), out var message, out var error), error);
        return message;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            _dirs.Dispose();
        base.Dispose(disposing);
    }
}
