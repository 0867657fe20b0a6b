using System.Buffers;
using System.Buffers.Binary;

namespace Entice.Crypto.Primitives;

/// <summary>
/// Concatenates fields each preceded by its u32 big-endian length, so that no two different field lists
/// can produce the same bytes (plain concatenation of "ab","c" and "a","bc" would collide).
/// </summary>
internal sealed class LengthPrefixedWriter
{
    private readonly ArrayBufferWriter<byte> buffer = new();

    public LengthPrefixedWriter Add(ReadOnlySpan<byte> field)
    {
        BinaryPrimitives.WriteUInt32BigEndian(buffer.GetSpan(4), checked((uint)field.Length));
        buffer.Advance(4);
        buffer.Write(field);
        return this;
    }

    public LengthPrefixedWriter Add(string field) => Add(StrictUtf8.GetBytes(field));

    public byte[] ToArray() => buffer.WrittenSpan.ToArray();
}
