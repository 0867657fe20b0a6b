using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;

namespace Entice.Channels;

/// <summary>
/// What a person compares and types for a server's static key: the first 20 bytes of SHA-256 of the
/// 32-byte public key, shown as ten groups of four lowercase hex digits ("3f2a 91c0 …"). The parser takes
/// it back with or without spaces, in either case; anything else is refused with the reason.
/// </summary>
public sealed class ServerFingerprint : IEquatable<ServerFingerprint>
{
    public const int Size = 20;

    private readonly byte[] bytes;

    private ServerFingerprint(byte[] bytes) => this.bytes = bytes;

    public ReadOnlySpan<byte> Bytes => bytes;

    public static ServerFingerprint Of(ReadOnlySpan<byte> publicKey)
    {
        if (publicKey.Length != X25519KeyPair.KeySize)
        {
            throw new ArgumentException("A server key is 32 bytes.", nameof(publicKey));
        }

        return new ServerFingerprint(NSec.Cryptography.HashAlgorithm.Sha256.Hash(publicKey)[..Size]);
    }

    public static ServerFingerprint Parse(string text) =>
        TryParse(text, out var fingerprint, out var problem) ? fingerprint : throw new FormatException(problem);

    /// <summary>40 hex digits, spaces anywhere optional, case-insensitive.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out ServerFingerprint? fingerprint, [NotNullWhen(false)] out string? problem)
    {
        fingerprint = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            problem = "a server key fingerprint is 40 hex digits; none given";
            return false;
        }

        var digits = new StringBuilder(2 * Size);
        foreach (var c in text)
        {
            if (c == ' ')
            {
                continue;
            }

            if (!char.IsAsciiHexDigit(c) || digits.Length == 2 * Size)
            {
                problem = "a server key fingerprint is 40 hex digits (0-9, a-f), spaces optional";
                return false;
            }

            digits.Append(c);
        }

        if (digits.Length != 2 * Size)
        {
            problem = $"a server key fingerprint is 40 hex digits; this one has {digits.Length}";
            return false;
        }

        fingerprint = new ServerFingerprint(Convert.FromHexString(digits.ToString()));
        problem = null;
        return true;
    }

    /// <summary>True when <paramref name="publicKey"/> has this fingerprint (constant time).</summary>
    public bool Matches(ReadOnlySpan<byte> publicKey) =>
        publicKey.Length == X25519KeyPair.KeySize && Equals(Of(publicKey));

    public bool Equals(ServerFingerprint? other) =>
        other is not null && CryptographicOperations.FixedTimeEquals(bytes, other.bytes);

    public override bool Equals(object? obj) => Equals(obj as ServerFingerprint);

    public override int GetHashCode() => BitConverter.ToInt32(bytes, 0);

    /// <summary>"3f2a 91c0 …": ten groups of four hex digits.</summary>
    public override string ToString()
    {
        var hex = Convert.ToHexString(bytes).ToLowerInvariant();
        return string.Join(' ', Enumerable.Range(0, hex.Length / 4).Select(i => hex.Substring(4 * i, 4)));
    }

    /// <summary>The 40 digits without spaces, for a command line (HOST:PORT@FINGERPRINT).</summary>
    public string ToCompactString() => Convert.ToHexString(bytes).ToLowerInvariant();
}
