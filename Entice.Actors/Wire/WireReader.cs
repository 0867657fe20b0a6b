using System.Buffers.Binary;
using System.Text;
using System.Text.Unicode;

namespace Entice.Wire;

/// <summary>
/// Sequential big-endian reader over an untrusted payload. Every read checks bounds and limits first and
/// never throws; on failure it records a short reason in <see cref="Error"/> (field names and numbers only,
/// never payload bytes, because the reason ends up in server logs).
/// </summary>
internal ref struct WireReader(ReadOnlySpan<byte> payload)
{
    private readonly ReadOnlySpan<byte> _payload = payload;
    private int _position;

    public string? Error { get; private set; }

    public readonly int Remaining => _payload.Length - _position;

    public bool Fail(string error)
    {
        Error = error;
        return false;
    }

    public bool TryReadByte(string field, out byte value)
    {
        value = 0;
        if (!Need(sizeof(byte), field))
        {
            return false;
        }

        value = _payload[_position++];
        return true;
    }

    public bool TryReadBool(string field, out bool value)
    {
        value = false;
        if (!TryReadByte(field, out var raw))
        {
            return false;
        }

        // Only 0 and 1: any other value would give one message two encodings.
        if (raw > 1)
        {
            return Fail($"bool field '{field}' has value {raw}");
        }

        value = raw == 1;
        return true;
    }

    public bool TryReadU16(string field, out ushort value)
    {
        value = 0;
        if (!Need(sizeof(ushort), field))
        {
            return false;
        }

        value = BinaryPrimitives.ReadUInt16BigEndian(_payload[_position..]);
        _position += sizeof(ushort);
        return true;
    }

    public bool TryReadU32(string field, out uint value)
    {
        value = 0;
        if (!Need(sizeof(uint), field))
        {
            return false;
        }

        value = BinaryPrimitives.ReadUInt32BigEndian(_payload[_position..]);
        _position += sizeof(uint);
        return true;
    }

    public bool TryReadU64(string field, out ulong value)
    {
        value = 0;
        if (!Need(sizeof(ulong), field))
        {
            return false;
        }

        value = BinaryPrimitives.ReadUInt64BigEndian(_payload[_position..]);
        _position += sizeof(ulong);
        return true;
    }

    public bool TryReadString(string field, out string value)
    {
        value = string.Empty;
        if (!TryReadU16(field, out var length))
        {
            return false;
        }

        if (length > WireLimits.MaxStringBytes)
        {
            return Fail($"string field '{field}' is {length} bytes, max {WireLimits.MaxStringBytes}");
        }

        if (!Need(length, field))
        {
            return false;
        }

        var bytes = _payload.Slice(_position, length);
        if (!Utf8.IsValid(bytes))
        {
            return Fail($"string field '{field}' is not valid UTF-8");
        }

        value = Encoding.UTF8.GetString(bytes);
        _position += length;
        return true;
    }

    public bool TryReadFixed(string field, int length, out byte[] value)
    {
        value = [];
        if (!Need(length, field))
        {
            return false;
        }

        value = _payload.Slice(_position, length).ToArray();
        _position += length;
        return true;
    }

    /// <summary>u32 length then bytes; the length is checked against what is left before anything is allocated.</summary>
    public bool TryReadBlob32(string field, out byte[] value)
    {
        value = [];
        if (!TryReadU32(field, out var length))
        {
            return false;
        }

        if (length > (uint)Remaining)
        {
            return Fail($"field '{field}' claims {length} bytes but only {Remaining} remain");
        }

        return TryReadFixed(field, (int)length, out value);
    }

    private bool Need(int count, string field) =>
        count <= Remaining || Fail($"truncated field '{field}': needs {count} bytes, {Remaining} left");
}
