using System.Text;

namespace Entice.Wire;

internal static class WireUtf8
{
    /// <summary>
    /// Throws on lone surrogates instead of silently writing U+FFFD, so a string never changes in transit.
    /// </summary>
    public static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
}
