using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Threading.Channels;
using Entice.Wire;

namespace Entice.Tests.Support;

/// <summary>
/// A relay that lies: a raw TCP server on 127.0.0.1 port 0 speaking the wire codec, driven by a test
/// to send a real client whatever it likes. It greets one client (ServerHello, then Welcome for its
/// Hello), answers the client's pings by itself, and hands every other message the client sends to
/// the test in order. It speaks the encrypted channel with a key of its own (<see cref="Fingerprint"/>).
/// </summary>
internal sealed class FakeRelay : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Channel<WireMessage> _fromClient = Channel.CreateUnbounded<WireMessage>();
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private TcpClient? _client;
    private Stream? _stream;
    private readonly Entice.Channels.X25519KeyPair _key = Entice.Channels.X25519KeyPair.Generate();

    public FakeRelay() => _listener.Start();

    public IPEndPoint Endpoint => (IPEndPoint)_listener.LocalEndpoint;

    /// <summary>The fingerprint of this relay's channel key.</summary>
    public Entice.Channels.ServerFingerprint Fingerprint => Entice.Channels.ServerFingerprint.Of(_key.PublicKey);

    /// <summary>The client's Hello, once <see cref="AcceptAsync"/> returned.</summary>
    public Hello ClientHello { get; private set; } = null!;

    /// <summary>The client as a member others would see (its name and published keys).</summary>
    public MemberInfo Client => new(ClientHello.Name, ClientHello.Identity);

    /// <summary>Accepts the client, greets it, welcomes its hello and starts reading what it sends.</summary>
    public async Task AcceptAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        _client = await _listener.AcceptTcpClientAsync(timeout.Token);
        _client.NoDelay = true;
        _stream = await ChannelStream.AcceptAsync(_client.GetStream(), _key);
        await SendAsync(new ServerHello(ProtocolVersion.Current, RandomNumberGenerator.GetBytes(WireLimits.ChallengeBytes)));
        ClientHello = Assert.IsType<Hello>(await ReadAsync(timeout.Token));
        await SendAsync(new Welcome(ClientHello.Name));
        _ = Task.Run(ReadLoopAsync);
    }

    /// <summary>
    /// Accepts the client, waits for it to ask to join a room and answers that it joined with
    /// <paramref name="members"/> present; returns the room.
    /// </summary>
    public async Task<string> AdmitAsync(params MemberInfo[] members)
    {
        await AcceptAsync();
        var room = (await ReceiveAsync<JoinRoom>()).Room;
        await SendAsync(new RoomJoined(room, members));
        return room;
    }

    public async Task SendAsync(WireMessage message)
    {
        var frame = WireCodec.EncodeFrame(message);
        await _writeLock.WaitAsync();
        try
        {
            await _stream!.WriteAsync(frame);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>The next message of type <typeparamref name="T"/> from the client (others before it are skipped).</summary>
    public async Task<T> ReceiveAsync<T>(Func<T, bool>? match = null, TimeSpan? timeout = null) where T : WireMessage
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(15));
        try
        {
            while (true)
            {
                if (await _fromClient.Reader.ReadAsync(cts.Token) is T t && (match is null || match(t)))
                    return t;
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"the client sent no {typeof(T).Name}");
        }
    }

    private async Task ReadLoopAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var message = await ReadAsync(_stop.Token);
                if (message is null)
                    break;
                if (message is Ping ping)
                    await SendAsync(new Pong(ping.Nonce));
                else
                    await _fromClient.Writer.WriteAsync(message);
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or OperationCanceledException)
        {
        }
        _fromClient.Writer.TryComplete();
    }

    private async Task<WireMessage?> ReadAsync(CancellationToken ct)
    {
        var header = new byte[4];
        await _stream!.ReadExactlyAsync(header, ct);
        var payload = new byte[BinaryPrimitives.ReadInt32BigEndian(header)];
        await _stream.ReadExactlyAsync(payload, ct);
        return WireCodec.TryDecode(payload, out var message, out _) ? message : null;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _client?.Dispose();
        _listener.Stop();
        _key.Dispose();
        _stop.Dispose();
        _writeLock.Dispose();
    }
}
