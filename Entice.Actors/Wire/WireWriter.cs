using System.Buffers.Binary;

namespace Entice.Wire;

/// <summary>
/// Sequential big-endian writer over a span that <see cref="WireSize"/> already sized and validated,
/// so no method here checks limits again.
/// </summary>
internal ref struct WireWriter(Span<byte> destination)
{
    private readonly Span<byte> _destination = destination;
    private int _position;

    public readonly int Position => _position;

    public void WriteByte(byte value) => _destination[_position++] = value;

    public void WriteBool(bool value) => WriteByte(value ? (byte)1 : (byte)0);

    public void WriteU16(ushort value)
    {
        BinaryPrimitives.WriteUInt16BigEndian(_destination[_position..], value);
        _position += sizeof(ushort);
    }

    public void WriteU32(uint value)
    {
        BinaryPrimitives.WriteUInt32BigEndian(_destination[_position..], value);
        _position += sizeof(uint);
    }

    public void WriteU64(ulong value)
    {
        BinaryPrimitives.WriteUInt64BigEndian(_destination[_position..], value);
        _position += sizeof(ulong);
    }

    /// <summary>u16 byte length, then the UTF-8 bytes, encoded straight into the destination.</summary>
    public void WriteString(string value)
    {
        var written = WireUtf8.Strict.GetBytes(value, _destination[(_position + sizeof(ushort))..]);
        WriteU16((ushort)written);
        _position += written;
    }

    /// <summary>Fixed-size fields (keys, signatures) go out raw: both sides know their length.</summary>
    public void WriteRaw(ReadOnlySpan<byte> value)
    {
        value.CopyTo(_destination[_position..]);
        _position += value.Length;
    }

    public void WriteBlob32(ReadOnlySpan<byte> value)
    {
        WriteU32((uint)value.Length);
        WriteRaw(value);
    }
}
