using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Entice.Wire;

namespace Entice.Tests.Support;

/// <summary>
/// A hand-driven TCP client for feeding a server exactly the bytes a test wants (hostile ones included),
/// inside the encrypted channel (<see cref="ChannelStream"/>) unless <c>plaintext</c> is asked for.
/// </summary>
internal sealed class RawClient : IDisposable
{
    private readonly TcpClient _tcp;
    private Stream _stream = null!;

    private RawClient(TcpClient? tcp = null) => _tcp = tcp ?? new TcpClient();

    /// <summary>The server's end of a connection a test accepted (a fake relay talking to a real client).</summary>
    public static RawClient Accepted(TcpClient tcp)
    {
        var c = new RawClient(tcp);
        tcp.NoDelay = true;
        c._stream = tcp.GetStream();
        return c;
    }

    /// <summary>The server's end, with the channel (the relay's side); <see cref="Accepted"/> is plaintext.</summary>
    public static async Task<RawClient> AcceptedChannelAsync(TcpClient tcp, Entice.Channels.X25519KeyPair key)
    {
        var c = new RawClient(tcp);
        tcp.NoDelay = true;
        c._stream = await ChannelStream.AcceptAsync(tcp.GetStream(), key);
        return c;
    }

    /// <param name="plaintext">No channel: the bytes go straight over TCP (an old or plaintext client).</param>
    public static async Task<RawClient> ConnectAsync(IPEndPoint server, int? receiveBufferBytes = null, bool plaintext = false)
    {
        var c = new RawClient();
        if (receiveBufferBytes is { } size)
            c._tcp.ReceiveBufferSize = size;
        await c._tcp.ConnectAsync(server.Address, server.Port);
        c._tcp.NoDelay = true;
        c._stream = plaintext ? c._tcp.GetStream() : await ChannelStream.ConnectAsync(c._tcp.GetStream());
        return c;
    }

    /// <summary>Bytes straight onto the TCP connection, under the channel (a tampering network).</summary>
    public Task SendUnderChannelAsync(byte[] bytes) => _tcp.GetStream().WriteAsync(bytes).AsTask();

    /// <summary>Ends what this side sends (a FIN) and keeps reading what the server still writes.</summary>
    public void CloseSending() => _tcp.Client.Shutdown(SocketShutdown.Send);

    public Task SendRawAsync(byte[] bytes) => _stream.WriteAsync(bytes).AsTask();

    public Task SendAsync(WireMessage message) => SendRawAsync(WireCodec.EncodeFrame(message));

    /// <summary>The next message, or null when the server closed the connection or nothing came in time.</summary>
    public async Task<WireMessage?> ReceiveAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        var header = new byte[4];
        if (!await ReadExactlyAsync(header, cts.Token))
            return null;
        var payload = new byte[BinaryPrimitives.ReadInt32BigEndian(header)];
        if (!await ReadExactlyAsync(payload, cts.Token))
            return null;
        Assert.True(WireCodec.TryDecode(payload, out var message, out var error), error);
        return message;
    }

    public async Task<T> ReceiveAsync<T>() where T : WireMessage
    {
        while (true)
        {
            var m = await ReceiveAsync();
            Assert.NotNull(m);
            if (m is T t)
                return t;
        }
    }

    /// <summary>Reads until the server closes; true if it did within the timeout.</summary>
    public async Task<bool> ClosedByServerAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        var buffer = new byte[4096];
        try
        {
            while (await _stream.ReadAsync(buffer, cts.Token) > 0)
            {
            }
            return true;
        }
        catch (IOException)
        {
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Says a valid hello as <paramref name="who"/> and waits for Welcome.</summary>
    public async Task<WireMessage?> HelloAsync(TestIdentity who)
    {
        var serverHello = Assert.IsType<ServerHello>(await ReceiveAsync());
        var signature = Entice.Crypto.Identity.IdentitySignatures.SignHello(who.Keys, serverHello.Challenge, who.Name);
        await SendAsync(new Hello(ProtocolVersion.Current, who.Name, who.Bundle, signature));
        return await ReceiveAsync();
    }

    /// <summary>Connects, says hello as <paramref name="who"/> and joins <paramref name="room"/>; fails the test otherwise.</summary>
    public static async Task<RawClient> JoinedAsync(IPEndPoint server, TestIdentity who, string room = "lobby")
    {
        var c = await ConnectAsync(server);
        Assert.IsType<Welcome>(await c.HelloAsync(who));
        await c.SendAsync(new JoinRoom(room));
        await c.ReceiveAsync<RoomJoined>();
        return c;
    }

    /// <summary>Every message that arrives until nothing has come for <paramref name="quiet"/> (or the server closed).</summary>
    public async Task<List<WireMessage>> DrainAsync(TimeSpan quiet)
    {
        var all = new List<WireMessage>();
        while (await ReceiveAsync(quiet) is { } m)
            all.Add(m);
        return all;
    }

    private async Task<bool> ReadExactlyAsync(byte[] buffer, CancellationToken ct)
    {
        try
        {
            await _stream.ReadExactlyAsync(buffer, ct);
            return true;
        }
        catch (Exception ex) when (ex is EndOfStreamException or IOException or OperationCanceledException)
        {
            return false;
        }
    }

    public void Dispose() => _tcp.Dispose();
}
