using System.Text;
using Entice.Crypto.Primitives;

namespace Entice.Crypto.Identity;

/// <summary>
/// Signal's displayable fingerprint, version 1: 60 digits both parties compute identically, so that
/// reading them to each other reveals a relay that handed out false keys.
/// </summary>
public static class SafetyNumber
{
    public const int DefaultIterations = 5200;

    private const int DigitsPerChunk = 5;
    private const int ChunksPerHalf = 6;
    private static readonly byte[] FingerprintVersion = [0x00, 0x00];

    /// <summary>
    /// For each side h = SHA-512(0x0000 || key || stableId || key), then iterations-1 more rounds of
    /// SHA-512(h || key); its first 30 bytes give 30 digits. The two halves are joined smaller first.
    /// </summary>
    public static string Compute(ReadOnlySpan<byte> localKey, string localStableId, ReadOnlySpan<byte> remoteKey, string remoteStableId, int iterations = DefaultIterations)
    {
        ArgumentNullException.ThrowIfNull(localStableId);
        ArgumentNullException.ThrowIfNull(remoteStableId);
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, 1);
        var local = HalfFor(localKey, localStableId, iterations);
        var remote = HalfFor(remoteKey, remoteStableId, iterations);
        return string.CompareOrdinal(local, remote) <= 0 ? local + remote : remote + local;
    }

    /// <summary>The safety number of two Entice users: key = IKsig || IKdh, stable id = the user name.</summary>
    public static string ForIdentities(PublicIdentity local, string localName, PublicIdentity remote, string remoteName)
    {
        ArgumentNullException.ThrowIfNull(local);
        ArgumentNullException.ThrowIfNull(remote);
        return Compute(local.CombinedKey, localName, remote.CombinedKey, remoteName);
    }

    /// <summary>60 digits as 12 groups of 5 separated by spaces, the way people read them aloud.</summary>
    public static string Format(string digits)
    {
        ArgumentNullException.ThrowIfNull(digits);
        if (digits.Length != 2 * ChunksPerHalf * DigitsPerChunk || !digits.All(char.IsAsciiDigit))
        {
            throw new ArgumentException("A safety number is exactly 60 digits.", nameof(digits));
        }

        return string.Join(' ', Enumerable.Range(0, digits.Length / DigitsPerChunk).Select(i => digits.Substring(i * DigitsPerChunk, DigitsPerChunk)));
    }

    private static string HalfFor(ReadOnlySpan<byte> key, string stableId, int iterations)
    {
        var sha512 = NSec.Cryptography.HashAlgorithm.Sha512;
        var hash = sha512.Hash([.. FingerprintVersion, .. key, .. StrictUtf8.GetBytes(stableId), .. key]);
        for (var round = 1; round < iterations; round++)
        {
            hash = sha512.Hash([.. hash, .. key]);
        }

        var half = new StringBuilder(ChunksPerHalf * DigitsPerChunk);
        for (var chunk = 0; chunk < ChunksPerHalf; chunk++)
        {
            ulong value = 0;
            for (var i = 0; i < 5; i++)
            {
                value = (value << 8) | hash[chunk * 5 + i];
            }

            half.Append((value % 100_000).ToString("D5", System.Globalization.CultureInfo.InvariantCulture));
        }

        return half.ToString();
    }
}
