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
