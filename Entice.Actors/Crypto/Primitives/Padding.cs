using System.Diagnostics.CodeAnalysis;

namespace Entice.Crypto.Primitives;

/// <summary>
/// ISO/IEC 7816-4 style padding to a multiple of 64 bytes (0x80, then zeros), so ciphertext length reveals
/// only a size bucket. There is always at least one pad byte, so unpadding is unambiguous.
/// </summary>
public static class Padding
{
    public const int BlockSize = 64;

    private const byte Marker = 0x80;

    public static byte[] Pad(ReadOnlySpan<byte> data)
    {
        var padded = new byte[PaddedLength(data.Length)];
        PadInto(data, padded);
        return padded;
    }

    /// <summary>The padded length of <paramref name="length"/> bytes of data (always at least one pad byte).</summary>
    public static int PaddedLength(int length) => checked(((length / BlockSize) + 1) * BlockSize);

    /// <summary>The same bytes as <see cref="Pad"/>, into <paramref name="destination"/> (exactly <see cref="PaddedLength"/> bytes).</summary>
    public static void PadInto(ReadOnlySpan<byte> data, Span<byte> destination)
    {
        if (destination.Length != PaddedLength(data.Length))
        {
            throw new CryptoException("Padding buffer has the wrong length.");
        }

        data.CopyTo(destination);
        destination[data.Length] = Marker;
        destination[(data.Length + 1)..].Clear();
    }

    /// <summary>Remove padding, or return false when it is not valid padding of the right block size.</summary>
    public static bool TryUnpad(ReadOnlySpan<byte> padded, [NotNullWhen(true)] out byte[]? data)
    {
        data = null;
        if (padded.Length == 0 || padded.Length % BlockSize != 0)
        {
            return false;
        }

        var marker = padded.LastIndexOfAnyExcept((byte)0);
        // Canonical padding is 1..BlockSize bytes; a longer run would mean a second encoding of the same data.
        if (marker < 0 || padded[marker] != Marker || padded.Length - marker > BlockSize)
        {
            return false;
        }

        data = padded[..marker].ToArray();
        return true;
    }

    /// <summary>Remove padding; throws <see cref="CryptoException"/> on bad padding.</summary>
    public static byte[] Unpad(ReadOnlySpan<byte> padded) =>
        TryUnpad(padded, out var data) ? data : throw new CryptoException("Invalid padding.");
}
