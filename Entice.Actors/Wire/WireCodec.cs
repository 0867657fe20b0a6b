using System.Diagnostics.CodeAnalysis;

namespace Entice.Wire;

/// <summary>
/// The binary encoding of <see cref="WireMessage"/>s, one message per frame payload.
/// </summary>
/// <remarks>
/// A payload is one tag byte (table in <see cref="WireTag"/>), then the record's fields in declaration order:
/// <list type="bullet">
/// <item>u16, u32, u64: big-endian. bool: one byte, 0 or 1.</item>
/// <item>string: u16 byte length, then strict UTF-8 (no invalid sequences), at most
/// <see cref="WireLimits.MaxStringBytes"/> bytes.</item>
/// <item>keys, signatures, challenge: raw, exactly the size in <see cref="WireLimits"/>, no length.</item>
/// <item>IdentityBundle: signingKey[32] dhKey[32] bindingSignature[64] prekeyId u32 prekey[32]
/// prekeySignature[64] (228 bytes). MemberInfo: name string, IdentityBundle.</item>
/// <item>member list: u16 count (at most <see cref="WireLimits.MaxMembers"/>), then the members.</item>
/// <item>Envelope ciphertext: u32 length, then the bytes; the length must fit the payload.</item>
/// </list>
/// No bytes may follow the last field. The codec checks structure only; what names may look like is
/// <see cref="Names"/>' job, and frame size limits are <see cref="FrameDecoder"/>'s.
/// </remarks>
public static class WireCodec
{
    /// <summary>The payload for <paramref name="message"/>, without a length prefix.</summary>
    /// <exception cref="ArgumentException">A field breaks a limit the decoder enforces.</exception>
    public static byte[] Encode(WireMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var payload = new byte[WireEncoder.SizeOf(message)];
        var writer = new WireWriter(payload);
        WireEncoder.Write(message, ref writer);
        return payload;
    }

    /// <summary>Length prefix and payload in one array, ready to write to the socket.</summary>
    /// <exception cref="ArgumentException">A field breaks a limit the decoder enforces.</exception>
    public static byte[] EncodeFrame(WireMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var size = WireEncoder.SizeOf(message);
        var frame = new byte[checked(FrameEncoder.LengthPrefixBytes + size)];
        var writer = new WireWriter(frame);
        writer.WriteU32((uint)size);
        WireEncoder.Write(message, ref writer);
        return frame;
    }

    /// <summary>Bytes <see cref="EncodeFrame(WireMessage, Span{byte})"/> writes for <paramref name="message"/>: length prefix and payload.</summary>
    /// <exception cref="ArgumentException">A field breaks a limit the decoder enforces.</exception>
    public static int FrameSize(WireMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return checked(FrameEncoder.LengthPrefixBytes + WireEncoder.SizeOf(message));
    }

    /// <summary>
    /// Writes the frame of <paramref name="message"/> (the bytes <see cref="EncodeFrame(WireMessage)"/> returns)
    /// at the start of <paramref name="destination"/>, so many frames can share one buffer; returns the bytes written.
    /// </summary>
    /// <exception cref="ArgumentException">A field breaks a limit the decoder enforces, or the destination is too small.</exception>
    public static int EncodeFrame(WireMessage message, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(message);
        var size = WireEncoder.SizeOf(message);
        var total = checked(FrameEncoder.LengthPrefixBytes + size);
        if (destination.Length < total)
            throw new ArgumentException($"Destination holds {destination.Length} bytes; the frame needs {total}.", nameof(destination));
        var writer = new WireWriter(destination);
        writer.WriteU32((uint)size);
        WireEncoder.Write(message, ref writer);
        return total;
    }

    /// <summary>
    /// Parses one payload. Never throws: any malformed input yields false and a short reason that is safe
    /// to log (it never quotes payload bytes).
    /// </summary>
    public static bool TryDecode(
        ReadOnlySpan<byte> payload,
        [NotNullWhen(true)] out WireMessage? message,
        [NotNullWhen(false)] out string? error)
    {
        var reader = new WireReader(payload);
        var decoded = WireDecoder.Read(ref reader);

        if (decoded is null)
        {
            message = null;
            error = reader.Error ?? "malformed payload";
            return false;
        }

        if (reader.Remaining != 0)
        {
            message = null;
            error = $"trailing {reader.Remaining} bytes after {decoded.GetType().Name}";
            return false;
        }

        message = decoded;
        error = null;
        return true;
    }
}
