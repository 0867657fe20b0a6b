using System.Net.Sockets;
using Entice.Channels;
using Entice.Transport;

namespace Entice.Tests.Support;

/// <summary>
/// A test's end of the encrypted channel as a plain <see cref="Stream"/>: after the handshake, writes are
/// sealed (in units of at most 64 KiB, as the real writers seal their batches) and reads give the opened
/// bytes, so RawClient and FakeRelay keep speaking frames, now inside the channel. A broken channel
/// reads as an IOException.
/// </summary>
internal sealed class ChannelStream : Stream
{
    private const int Unit = 64 * 1024;

    private readonly NetworkStream _inner;
    private readonly SecureChannel _channel;
    private readonly Queue<byte[]> _opened = new();
    private byte[]? _current;
    private int _at;

    private ChannelStream(NetworkStream inner, SecureChannel channel, byte[] remainder)
    {
        _inner = inner;
        _channel = channel;
        Accept(remainder);
    }

    public static ChannelSettings Settings => new() { MaxFrameSize = NoiseFrameLayer.UnitLimit(64 * 1024) };

    /// <summary>The server's key, as the client saw it.</summary>
    public ServerFingerprint Peer => _channel.RemoteFingerprint;

    public static async Task<ChannelStream> ConnectAsync(NetworkStream inner, ServerFingerprint? expected = null)
    {
        using var hs = ChannelHandshake.Initiator(Settings, expected);
        await inner.WriteAsync(hs.Start());
        return await FinishAsync(inner, hs);
    }

    public static async Task<ChannelStream> AcceptAsync(NetworkStream inner, X25519KeyPair key)
    {
        using var hs = ChannelHandshake.Responder(Settings, key);
        return await FinishAsync(inner, hs);
    }

    private static async Task<ChannelStream> FinishAsync(NetworkStream inner, ChannelHandshake hs)
    {
        var buffer = new byte[4096];
        while (true)
        {
            var n = await inner.ReadAsync(buffer);
            if (n == 0)
                throw new IOException("the peer closed the connection during the channel handshake");
            var step = hs.Receive(buffer.AsSpan(0, n));
            if (step.Outbound.Length > 0)
                await inner.WriteAsync(step.Outbound);
            if (step.IsFailed)
                throw new IOException($"channel handshake failed: {step.Error}");
            if (step.IsComplete)
                return new ChannelStream(inner, step.Channel, step.Remainder);
        }
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var raw = new byte[16 * 1024];
        while (true)
        {
            if (_current is null && _opened.Count > 0)
            {
                _current = _opened.Dequeue();
                _at = 0;
            }
            if (_current is not null)
            {
                var take = Math.Min(buffer.Length, _current.Length - _at);
                _current.AsMemory(_at, take).CopyTo(buffer);
                _at += take;
                if (_at == _current.Length)
                    _current = null;
                return take;
            }
            var n = await _inner.ReadAsync(raw, cancellationToken);
            if (n == 0)
                return 0;
            Accept(raw.AsSpan(0, n));
        }
    }

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        for (var at = 0; at < buffer.Length; at += Unit)
            await _inner.WriteAsync(_channel.Seal(buffer.Span.Slice(at, Math.Min(Unit, buffer.Length - at))), cancellationToken);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer, offset, count).GetAwaiter().GetResult();

    public override void Flush() => _inner.Flush();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            _channel.Dispose();
        base.Dispose(disposing);
    }

    private void Accept(ReadOnlySpan<byte> bytes)
    {
        var result = _channel.Open(bytes);
        foreach (var f in result.Frames)
            _opened.Enqueue(f);
        if (!result.Succeeded)
            throw new IOException($"the channel broke: {result.Error}");
    }
}
