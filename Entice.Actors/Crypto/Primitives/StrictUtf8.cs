using System.Text;

namespace Entice.Crypto.Primitives;

/// <summary>
/// UTF-8 that refuses invalid input instead of substituting U+FFFD: substitution would let two different
/// strings (or byte sequences) authenticate as the same one.
/// </summary>
internal static class StrictUtf8
{
    private static readonly UTF8Encoding Encoding = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static byte[] GetBytes(string text)
    {
        try
        {
            return Encoding.GetBytes(text);
        }
        catch (EncoderFallbackException)
        {
            throw new CryptoException("Text is not valid Unicode.");
        }
    }

    /// <summary>The UTF-8 length of <paramref name="text"/>, or -1 when it is not valid Unicode (a lone surrogate).</summary>
    public static int ByteCount(string text)
    {
        try
        {
            return Encoding.GetByteCount(text);
        }
        catch (EncoderFallbackException)
        {
            return -1;
        }
    }

    /// <summary>Encodes <paramref name="text"/> into <paramref name="destination"/>; the bytes written. Throws <see cref="CryptoException"/> on invalid Unicode.</summary>
    public static int Write(string text, Span<byte> destination)
    {
        try
        {
            return Encoding.GetBytes(text, destination);
        }
        catch (EncoderFallbackException)
        {
            throw new CryptoException("Text is not valid Unicode.");
        }
    }

    public static bool TryGetString(ReadOnlySpan<byte> bytes, out string text)
    {
        try
        {
            text = Encoding.GetString(bytes);
            return true;
        }
        catch (DecoderFallbackException)
        {
            text = string.Empty;
            return false;
        }
    }
}
