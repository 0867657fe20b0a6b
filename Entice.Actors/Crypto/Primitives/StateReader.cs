using System.Buffers.Binary;

namespace Entice.Crypto.Primitives;

/// <summary>
/// Reads what <see cref="StateWriter"/> wrote. Every shortfall or out-of-range value throws
/// <see cref="CryptoException"/>: a damaged state must never be half-loaded.
/// </summary>
internal ref struct StateReader
{
    private const int MaxStringBytes = 1 << 16;

    private readonly ReadOnlySpan<byte> data;
    private int position;

    public StateReader(ReadOnlySpan<byte> data)
    {
        this.data = data;
        position = 0;
    }

    public readonly bool AtEnd => position == data.Length;

    public byte U8() => Take(1)[0];

    public bool Bool() => U8() switch
    {
        0 => false,
        1 => true,
        _ => throw Corrupt(),
    };

    public uint U32() => BinaryPrimitives.ReadUInt32BigEndian(Take(4));

    public long I64() => BinaryPrimitives.ReadInt64BigEndian(Take(8));

    public byte[] Key() => Take(DiffieHellman.KeySize).ToArray();

    public byte[]? OptionalKey() => Bool() ? Key() : null;

    public byte[] Bytes(int maxLength)
    {
        var length = U32();
        if (length > (uint)maxLength)
        {
            throw Corrupt();
        }

        return Take((int)length).ToArray();
    }

    public string String()
    {
        return StrictUtf8.TryGetString(Bytes(MaxStringBytes), out var text) ? text : throw Corrupt();
    }

    /// <summary>A count of items each at least <paramref name="minItemSize"/> bytes, checked against what is left.</summary>
    public int Count(int minItemSize)
    {
        var count = U32();
        if (count > (uint)((data.Length - position) / Math.Max(1, minItemSize)))
        {
            throw Corrupt();
        }

        return (int)count;
    }

    public static CryptoException Corrupt() => new("The saved session state is truncated or corrupt.");

    private ReadOnlySpan<byte> Take(int length)
    {
        if (length < 0 || data.Length - position < length)
        {
            throw Corrupt();
        }

        var slice = data.Slice(position, length);
        position += length;
        return slice;
    }
}
