using System.Buffers;
using System.Buffers.Binary;

namespace Entice.Crypto.Primitives;

/// <summary>
/// Writes the persisted session-book format: big-endian integers, fixed 32-byte keys, u32-length-prefixed
/// byte strings and strict UTF-8 strings. It holds secrets, so <see cref="ToArrayAndWipe"/> zeroes the buffer.
/// </summary>
internal sealed class StateWriter
{
    private readonly ArrayBufferWriter<byte> buffer = new(4096);

    public StateWriter U8(byte value)
    {
        buffer.GetSpan(1)[0] = value;
        buffer.Advance(1);
        return this;
    }

    public StateWriter Bool(bool value) => U8(value ? (byte)1 : (byte)0);

    public StateWriter U32(uint value)
    {
        BinaryPrimitives.WriteUInt32BigEndian(buffer.GetSpan(4), value);
        buffer.Advance(4);
        return this;
    }

    public StateWriter I64(long value)
    {
        BinaryPrimitives.WriteInt64BigEndian(buffer.GetSpan(8), value);
        buffer.Advance(8);
        return this;
    }

    /// <summary>A 32-byte key, written without a length (the reader knows the size).</summary>
    public StateWriter Key(ReadOnlySpan<byte> key)
    {
        if (key.Length != DiffieHellman.KeySize)
        {
            throw new InvalidOperationException("Keys in the state are 32 bytes.");
        }

        buffer.Write(key);
        return this;
    }

    /// <summary>A 32-byte key or nothing: a presence byte, then the key.</summary>
    public StateWriter OptionalKey(byte[]? key) => key is null ? Bool(false) : Bool(true).Key(key);

    public StateWriter Bytes(ReadOnlySpan<byte> bytes)
    {
        U32(checked((uint)bytes.Length));
        buffer.Write(bytes);
        return this;
    }

    public StateWriter String(string value) => Bytes(StrictUtf8.GetBytes(value));

    public ReadOnlySpan<byte> Written => buffer.WrittenSpan;

    public byte[] ToArrayAndWipe()
    {
        var bytes = buffer.WrittenSpan.ToArray();
        buffer.Clear(); // ArrayBufferWriter.Clear zeroes the written part of its array
        return bytes;
    }
}
