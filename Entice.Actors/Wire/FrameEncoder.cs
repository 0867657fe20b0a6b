using System.Buffers.Binary;

namespace Entice.Wire;

/// <summary>Writes frames: a 4-byte big-endian payload length, then the payload.</summary>
public static class FrameEncoder
{
    public const int LengthPrefixBytes = 4;

    /// <summary>A new array holding the length prefix and the payload.</summary>
    public static byte[] Frame(ReadOnlySpan<byte> payload)
    {
        var frame = new byte[LengthPrefixBytes + payload.Length];
        WriteFrame(payload, frame);
        return frame;
    }

    /// <summary>Writes the frame at the start of <paramref name="destination"/>; returns the bytes written.</summary>
    /// <exception cref="ArgumentException">The payload is empty (a peer would reject it) or the destination is too small.</exception>
    public static int WriteFrame(ReadOnlySpan<byte> payload, Span<byte> destination)
    {
        // Refuse here rather than let the peer's decoder fail: an empty frame is a protocol violation.
        if (payload.IsEmpty)
        {
            throw new ArgumentException("A frame payload must not be empty.", nameof(payload));
        }

        var total = LengthPrefixBytes + payload.Length;
        if (destination.Length < total)
        {
            throw new ArgumentException(
                $"Destination holds {destination.Length} bytes; the frame needs {total}.", nameof(destination));
        }

        BinaryPrimitives.WriteUInt32BigEndian(destination, (uint)payload.Length);
        payload.CopyTo(destination[LengthPrefixBytes..]);
        return total;
    }
}
