using System.Buffers.Binary;
using System.Net.Sockets;
using Entice.Channels;

namespace Entice.LoadTest;

/// <summary>
/// The client-to-relay channel (issue 13) as the load tool speaks it: one Noise XX handshake per simulated
/// client through the project's own <see cref="ChannelHandshake"/> (fresh client key each time, as the
/// real client), then each write batch of encoded frames sealed as one unit with
/// <see cref="SecureChannel.Seal"/> (the transports' layout: the channel carries the frame stream), and
/// every read opened with <see cref="SecureChannel.TryOpen(ReadOnlySpan{byte}, ref byte[], int, out int, out ChannelError?)"/>
/// straight into the connection's parse buffer, so the parsers are those of the plaintext mode. Seal runs on the sending side and Open on the receive loop: they touch disjoint state
/// (one CipherState each way).
/// </summary>
internal sealed class ChannelLink : IDisposable
{
    private readonly SecureChannel _channel;
    private byte[] _sealed = new byte[4096];

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

    /// <summary>
    /// Seals a write batch (any number of length-prefixed frames) as the relay and the real client do: the
    /// sealed unit is the batch, not each frame, cut at <see cref="Unit"/> bytes; the other side's frame
    /// decoder splits the frames again. The records are sealed in place into one buffer reused by every
    /// batch (valid until the next Seal; the callers write it out before sealing again).
    /// </summary>
    public ReadOnlyMemory<byte> Seal(ReadOnlySpan<byte> batch)
    {
        var units = Math.Max(1, (batch.Length + Unit - 1) / Unit);
        var total = 0;
        for (var i = 0; i < units; i++)
            total += _channel.SealedLength(Math.Min(Unit, batch.Length - (i * Unit)));
        if (_sealed.Length < total)
            _sealed = new byte[Math.Max(total, 2 * _sealed.Length)];
        var written = 0;
        for (var i = 0; i < units; i++)
            written += _channel.Seal(batch.Slice(i * Unit, Math.Min(Unit, batch.Length - (i * Unit))), _sealed.AsSpan(written));
        return _sealed.AsMemory(0, written);
    }

    /// <summary>The largest unit sealed at once: a 64 KiB write batch, as the transports use.</summary>
    public const int Unit = 64 * 1024;

    /// <summary>
    /// Opens records straight into the caller's parse buffer, the frames they complete appended at
    /// <paramref name="at"/> (at least <see cref="SecureChannel.OpenedStart"/>; the buffer may be replaced by
    /// a larger one holding the same bytes before <paramref name="at"/>), ending at <paramref name="end"/>:
    /// no copy of the frames after decryption. Every record is decrypted and its tag, nonce and padding
    /// checked, as on the relay. The error text when the channel broke.
    /// </summary>
    public string? OpenInto(ReadOnlySpan<byte> records, ref byte[] buffer, int at, out int end)
    {
        var ok = _channel.TryOpen(records, ref buffer, at, out end, out var error);
        return ok ? null : error!.ToString();
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
