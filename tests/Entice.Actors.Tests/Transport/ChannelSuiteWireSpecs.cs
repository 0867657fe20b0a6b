using System.Net;
using System.Net.Sockets;
using Akka.TestKit.Xunit2;
using Entice.Channels;
using Entice.Server;
using Entice.Tests.Channels;
using Entice.Transport;

namespace Entice.Tests.Transport;

/// <summary>
/// The suite negotiation over loopback sockets between the real client connection actor and the real
/// relay: a server that refuses the client's suite says which it accepts and the client reports that;
/// a man in the middle that rewrites the suite byte gets the handshake killed.
/// </summary>
public sealed class ChannelSuiteWireSpecs : TestKit
{
    public ChannelSuiteWireSpecs() : base(Akka.Configuration.ConfigurationFactory.ParseString("akka.loglevel = WARNING").WithFallback(Entice.Config.EnticeConfig.Server()))
    {
    }

    private async Task<RelayServer.Started> StartRelayAsync(ChannelSettings channel) =>
        await RelayServer.StartAsync(Sys, new ServerSettings { Host = "127.0.0.1", Port = 0, Channel = channel });

    private static DnsEndPoint Dns(IPEndPoint ep) => new(ep.Address.ToString(), ep.Port);

    [Fact]
    public async Task A_server_that_refuses_the_clients_suite_is_reported_clearly_and_the_other_suite_connects()
    {
        if (!SecureChannelSpecs.SuiteRuns(ChannelSuite.AesGcm))
            return;
        var relay = await StartRelayAsync(new ChannelSettings { Suites = [ChannelSuite.ChaChaPoly] });

        var owner = CreateTestProbe();
        Sys.ActorOf(ServerConnection.Props(new ServerLinkOptions { Servers = [Dns(relay.Endpoint)], Channel = new ChannelSettings { Suite = ChannelSuite.AesGcm } }, owner.Ref));
        var failed = await owner.FishForMessageAsync<ServerConnection.ConnectFailed>(_ => true, TimeSpan.FromSeconds(15));
        Assert.Contains("refused the connection", failed.Reason, StringComparison.Ordinal);
        Assert.Contains("channel suite refused", failed.Reason, StringComparison.Ordinal);
        Assert.Contains("accepts chachapoly", failed.Reason, StringComparison.Ordinal);

        var owner2 = CreateTestProbe();
        Sys.ActorOf(ServerConnection.Props(new ServerLinkOptions { Servers = [Dns(relay.Endpoint)], Channel = new ChannelSettings { Suite = ChannelSuite.ChaChaPoly } }, owner2.Ref));
        await owner2.FishForMessageAsync<ServerConnection.Connected>(_ => true, TimeSpan.FromSeconds(15));
    }

    [Theory]
    [InlineData(ChannelSuite.AesGcm, ChannelSuite.ChaChaPoly)]
    [InlineData(ChannelSuite.ChaChaPoly, ChannelSuite.AesGcm)]
    public async Task A_proxy_that_rewrites_the_suite_byte_gets_no_session(ChannelSuite asked, ChannelSuite rewritten)
    {
        if (!SecureChannelSpecs.SuiteRuns(ChannelSuite.AesGcm))
            return;
        var relay = await StartRelayAsync(new ChannelSettings());
        using var honest = new SuiteRewritingProxy(relay.Endpoint, (byte)asked);
        using var proxy = new SuiteRewritingProxy(relay.Endpoint, (byte)rewritten);
        var options = new ServerLinkOptions { Channel = new ChannelSettings { Suite = asked } };

        // Control: the same proxy writing back the byte the client sent passes the handshake.
        var owner = CreateTestProbe();
        Sys.ActorOf(ServerConnection.Props(options with { Servers = [Dns(honest.Endpoint)] }, owner.Ref));
        await owner.FishForMessageAsync<ServerConnection.Connected>(_ => true, TimeSpan.FromSeconds(15));

        var owner2 = CreateTestProbe();
        Sys.ActorOf(ServerConnection.Props(options with { Servers = [Dns(proxy.Endpoint)] }, owner2.Ref));
        var failed = await owner2.FishForMessageAsync<ServerConnection.ConnectFailed>(_ => true, TimeSpan.FromSeconds(15));
        Assert.Contains("did not authenticate", failed.Reason, StringComparison.Ordinal);
        Assert.Equal(1, proxy.Rewritten);
        // The client sent nothing after the server's answer: the server never saw message 3.
        Assert.Equal(ChannelProtocol.OpeningLength + ChannelProtocol.LengthPrefix + ChannelProtocol.HandshakeMessageLengths[0], proxy.UpstreamBytes);
    }

    /// <summary>A loopback TCP proxy that sets the client's 17th byte (the suite byte) to a chosen value.</summary>
    private sealed class SuiteRewritingProxy : IDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly IPEndPoint _target;
        private readonly byte _suite;
        private readonly CancellationTokenSource _stop = new();
        private int _rewritten;
        private long _upstream;

        public SuiteRewritingProxy(IPEndPoint target, byte suite)
        {
            _target = target;
            _suite = suite;
            _listener.Start();
            _ = AcceptAsync();
        }

        public IPEndPoint Endpoint => (IPEndPoint)_listener.LocalEndpoint;

        public int Rewritten => Volatile.Read(ref _rewritten);

        public long UpstreamBytes => Interlocked.Read(ref _upstream);

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Stop();
            _stop.Dispose();
        }

        private async Task AcceptAsync()
        {
            try
            {
                while (true)
                {
                    var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                    _ = RelayAsync(client);
                }
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
            }
        }

        private async Task RelayAsync(TcpClient client)
        {
            using var c = client;
            using var server = new TcpClient();
            try
            {
                await server.ConnectAsync(_target, _stop.Token);
                await Task.WhenAny(PumpAsync(c.GetStream(), server.GetStream(), upstream: true), PumpAsync(server.GetStream(), c.GetStream(), upstream: false));
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException or IOException)
            {
            }
        }

        private async Task PumpAsync(NetworkStream from, NetworkStream to, bool upstream)
        {
            var buffer = new byte[8192];
            long at = 0;
            int n;
            while ((n = await from.ReadAsync(buffer, _stop.Token)) > 0)
            {
                var suiteAt = ChannelProtocol.OpeningLength - 1;
                if (upstream && at <= suiteAt && at + n > suiteAt)
                {
                    buffer[suiteAt - at] = _suite;
                    Interlocked.Increment(ref _rewritten);
                }

                at += n;
                if (upstream)
                    Interlocked.Add(ref _upstream, n);
                await to.WriteAsync(buffer.AsMemory(0, n), _stop.Token);
            }
        }
    }
}
