using System.Buffers.Binary;
using System.Text;
using Entice.Crypto.Ratchet;

namespace Entice.Tests.Crypto;

/// <summary>Send/receive helpers and a reader for the v2 header fields, as an observer on the wire sees them.</summary>
internal static class Wire
{
    public static byte[] Text(string text) => Encoding.UTF8.GetBytes(text);

    public static byte[] Send(Party from, Party to, string text) =>
        from.Book.Encrypt(to.Keys, Party.Direct(from, to), Text(text));

    public static DecryptResult Receive(Party at, Party from, byte[] ciphertext) =>
        at.Book.Decrypt(from.Keys, Party.Direct(from, at), ciphertext);

    public static DecryptResult Receive(SessionBook at, Party from, Party to, byte[] ciphertext) =>
        at.Decrypt(from.Keys, Party.Direct(from, to), ciphertext);

    public static void AssertDecryptsTo(string expected, DecryptResult result)
    {
        Assert.True(result.Succeeded, $"expected plaintext, got {result}");
        Assert.Equal(expected, Encoding.UTF8.GetString(result.Plaintext));
    }

    public static byte Kind(byte[] ciphertext) => ciphertext[1];

    public static string BaseKey(byte[] ciphertext) => Convert.ToHexString(ciphertext.AsSpan(2, 32));

    public static string RatchetKey(byte[] ciphertext) => Convert.ToHexString(ciphertext.AsSpan(34, 32));

    public static uint PreviousCount(byte[] ciphertext) => BinaryPrimitives.ReadUInt32BigEndian(ciphertext.AsSpan(66, 4));

    public static uint Index(byte[] ciphertext) => BinaryPrimitives.ReadUInt32BigEndian(ciphertext.AsSpan(70, 4));

    public static uint SignedPrekeyId(byte[] ciphertext) => BinaryPrimitives.ReadUInt32BigEndian(ciphertext.AsSpan(74, 4));

    public static uint OneTimePrekeyId(byte[] ciphertext) => BinaryPrimitives.ReadUInt32BigEndian(ciphertext.AsSpan(78, 4));
}
