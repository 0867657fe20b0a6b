using System.Globalization;
using Entice.Channels;

namespace Entice.Discovery;

/// <summary>
/// The TXT record of an announcement: <c>v=PROTOCOL-VERSION</c> and <c>fp=FINGERPRINT</c>, the relay's
/// channel key fingerprint as 40 lowercase hex digits (<see cref="ServerFingerprint.ToCompactString"/>),
/// which a client picking this relay then requires of the server it connects to. Reading is strict and
/// bounded: anything else that looks wrong (a fingerprint of any other form included) makes the whole
/// record garbage (null), so a hostile announcer cannot smuggle odd text into a client's list.
/// </summary>
public static class ServiceTxt
{
    public const string VersionKey = "v";
    public const string FingerprintKey = "fp";

    /// <summary>Most strings one TXT record may hold before it counts as garbage.</summary>
    public const int MaxStrings = 16;

    /// <summary>Most characters all strings of one TXT record may hold together before it counts as garbage.</summary>
    public const int MaxTotalLength = 512;

    /// <summary>The strings of the TXT record; <paramref name="fingerprint"/> null leaves <c>fp=</c> out.</summary>
    public static IReadOnlyList<string> Build(ushort version, ServerFingerprint? fingerprint)
    {
        var strings = new List<string> { $"{VersionKey}={version.ToString(CultureInfo.InvariantCulture)}" };
        if (fingerprint is not null)
            strings.Add($"{FingerprintKey}={fingerprint.ToCompactString()}");
        return strings;
    }

    /// <summary>What a TXT record says, or null when it is garbage (oversized, repeated keys, a bad version or fingerprint).</summary>
    public static Contents? Read(IReadOnlyList<string>? strings)
    {
        if (strings is null || strings.Count is 0 or > MaxStrings)
            return null;
        var total = 0;
        ushort? version = null;
        ServerFingerprint? fingerprint = null;
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
                if (!IsCompactFingerprint(value) || !ServerFingerprint.TryParse(value, out fingerprint, out _))
                    return null;
            }
            // Other keys: a later version may add some; ignored.
        }
        return version is { } found ? new Contents(found, fingerprint) : null;
    }

    // Exactly what Build writes: 40 hex digits, no spaces (the parser alone would take "3f2a 91c0 ...").
    private static bool IsCompactFingerprint(string text) =>
        text.Length == 2 * ServerFingerprint.Size && text.All(char.IsAsciiHexDigit);

    public sealed record Contents(ushort Version, ServerFingerprint? Fingerprint);
}
