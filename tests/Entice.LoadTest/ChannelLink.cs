using System.Buffers.Binary;
using System.Net.Sockets;
using Entice.Channels;

namespace Entice.LoadTest;

/// <summary>
/// The client-to-relay channel (issue 13) as the load tool speaks it: one Noise XX handshake per simulated
/// client through the project's own <see cref="ChannelHandshake"/> (fresh client key each time, as the
/// real client), then every encoded frame (length prefix included) sealed into records with
/// <see cref="SecureChannel.Seal"/>, and every read opened with <see cref="SecureChannel.Open"/>. The
/// frames it opens are handed back as the same length-prefixed bytes, so the parsers are those of the
/// plaintext mode. Seal runs on the sending side and Open on the receive loop: they touch disjoint state
/// (one CipherState each way).
/// </summary>
internal sealed class ChannelLink : IDisposable
{
    private readonly SecureChannel _channel;

    private ChannelLink(SecureChannel channel, byte[] remainder, ServerFingerprint presented)
    {
        _channel = channel;
        Remainder = remainder;
        Presented = presented;
    }

    /// <summary>Records that came with the last handshake message (open them before anything else).</summary>
    public byte[] Remainder { get; }

    /// <summary>The key fingerprint the server presented.</summary>
    public ServerFingerprint Presented { get; }

    /// <summary>Runs the handshake on a connected socket; IOException when it fails (a wrong key included).</summary>
    public static async Task<ChannelLink> HandshakeAsync(Socket socket, ChannelSettings settings, ServerFingerprint? expected, string name, CancellationToken ct)
    {
        using var handshake = ChannelHandshake.Initiator(settings, expected);
        await SendRawAsync(socket, handshake.Start(), ct);
        var buffer = new byte[512];
        while (true)
        {
            var n = await socket.ReceiveAsync(buffer.AsMemory(), SocketFlags.None, ct);
            if (n == 0)
                throw new IOException($"{name}: the server closed the connection during the channel handshake");
            var step = handshake.Receive(buffer.AsSpan(0, n));
            if (step.IsFailed)
                throw new IOException($"{name}: channel handshake failed: {step.Error}");
            if (step.Outbound.Length > 0)
                await SendRawAsync(socket, step.Outbound, ct);
            if (step.IsComplete)
                return new ChannelLink(step.Channel, step.Remainder, step.PresentedServerKey!);
        }
    }

    /// <summary>Seals each length-prefixed frame in <paramref name="frames"/>; the records to write.</summary>
    public byte[] Seal(ReadOnlySpan<byte> frames)
    {
        if (frames.Length >= 4 && 4 + BinaryPrimitives.ReadInt32BigEndian(frames) == frames.Length)
            return _channel.Seal(frames);
        var sealedParts = new List<byte[]>();
        var total = 0;
        while (frames.Length >= 4)
        {
            var length = 4 + BinaryPrimitives.ReadInt32BigEndian(frames);
            var part = _channel.Seal(frames[..length]);
            sealedParts.Add(part);
            total += part.Length;
            frames = frames[length..];
        }
        var output = new byte[total];
        var at = 0;
        foreach (var part in sealedParts)
        {
            part.CopyTo(output, at);
            at += part.Length;
        }
        return output;
    }

    /// <summary>Opens records; appends the frames they complete to <paramref name="sink"/>; the error text when the channel broke.</summary>
    public string? Open(ReadOnlySpan<byte> records, Action<byte[]> sink)
    {
        var result = _channel.Open(records);
        foreach (var frame in result.Frames)
            sink(frame);
        return result.Succeeded ? null : result.Error.ToString();
    }

    public void Dispose() => _channel.Dispose();

    private static async Task SendRawAsync(Socket socket, ReadOnlyMemory<byte> data, CancellationToken ct)
    {
        while (!data.IsEmpty)
        {
            var n = await socket.SendAsync(data, SocketFlags.None, ct);
            data = data[n..];
        }
    }
}
