using System.Globalization;

namespace Entice.Discovery;

/// <summary>
/// The TXT record of an announcement: <c>v=PROTOCOL-VERSION</c> and, when the relay has a static key,
/// <c>fp=FINGERPRINT</c>. Reading is strict and bounded: anything else that looks wrong makes the whole
/// record garbage (null), so a hostile announcer cannot smuggle odd text into a client's list.
/// </summary>
public static class ServiceTxt
{
    public const string VersionKey = "v";
    public const string FingerprintKey = "fp";

    /// <summary>Longest fingerprint accepted (characters); a fingerprint is a short hash in text.</summary>
    public const int MaxFingerprintLength = 128;

    /// <summary>Most strings one TXT record may hold before it counts as garbage.</summary>
    public const int MaxStrings = 16;

    /// <summary>Most characters all strings of one TXT record may hold together before it counts as garbage.</summary>
    public const int MaxTotalLength = 512;

    /// <summary>The strings of the TXT record; <paramref name="fingerprint"/> null or empty leaves <c>fp=</c> out.</summary>
    public static IReadOnlyList<string> Build(ushort version, string? fingerprint)
    {
        var strings = new List<string> { $"{VersionKey}={version.ToString(CultureInfo.InvariantCulture)}" };
        if (!string.IsNullOrEmpty(fingerprint))
        {
            if (!IsFingerprint(fingerprint))
                throw new ArgumentException("a fingerprint is 1-128 characters of A-Z a-z 0-9 : + / = _ -", nameof(fingerprint));
            strings.Add($"{FingerprintKey}={fingerprint}");
        }
        return strings;
    }

    /// <summary>What a TXT record says, or null when it is garbage (oversized, repeated keys, a bad version or fingerprint).</summary>
    public static Contents? Read(IReadOnlyList<string>? strings)
    {
        if (strings is null || strings.Count is 0 or > MaxStrings)
            return null;
        var total = 0;
        ushort? version = null;
        string? fingerprint = null;
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var s in strings)
        {
            total += s?.Length ?? 0;
            if (s is null || total > MaxTotalLength || s.Any(c => c is < ' ' or > '~'))
                return null;
            if (s.Length == 0)
                continue; // RFC 6763 6.1: an empty string is an empty TXT record
            var eq = s.IndexOf('=', StringComparison.Ordinal);
            var key = eq < 0 ? s : s[..eq];
            var value = eq < 0 ? "" : s[(eq + 1)..];
            if (key.Length == 0 || !seen.Add(key))
                return null;
            if (key.Equals(VersionKey, StringComparison.OrdinalIgnoreCase))
            {
                if (!ushort.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var v))
                    return null;
                version = v;
            }
            else if (key.Equals(FingerprintKey, StringComparison.OrdinalIgnoreCase))
            {
                if (!IsFingerprint(value))
                    return null;
                fingerprint = value;
            }
            // Other keys: a later version may add some; ignored.
        }
        return version is { } found ? new Contents(found, fingerprint) : null;
    }

    private static bool IsFingerprint(string text) =>
        text.Length is > 0 and <= MaxFingerprintLength
        && text.All(c => char.IsAsciiLetterOrDigit(c) || c is ':' or '+' or '/' or '=' or '_' or '-');

    public sealed record Contents(ushort Version, string? Fingerprint);
}
