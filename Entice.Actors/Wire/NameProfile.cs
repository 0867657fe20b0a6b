using System.Globalization;
using System.Text;

namespace Entice.Wire;

/// <summary>
/// The name and room profile, in the spirit of PRECIS (RFC 8265) and Unicode's UTS #39: a name is
/// letters and digits (plus <c>_ - .</c>, and <c>#</c> in rooms) in canonical form (NFKC, lower case),
/// of one script (Common characters such as digits go with any; Han may mix with Hiragana and Katakana,
/// Bopomofo or Hangul), with no default-ignorable (invisible) character. Two names people could mistake
/// for each other have the same <see cref="Skeleton"/>. Data: <c>NameProfile.data</c>, generated from
/// Unicode's files by <c>tools/unicode/gen_name_profile.py</c> (notice in <c>NameProfile.NOTICE.txt</c>).
/// </summary>
public static class NameProfile
{
    private static readonly Lazy<ProfileData> Data = new(ProfileData.Load);

    private static readonly string[][] MixedSets =
    [
        ["Han", "Hiragana", "Katakana"],
        ["Han", "Bopomofo"],
        ["Han", "Hangul"],
    ];

    /// <summary>
    /// The canonical form a client should send: NFKC, then lower case, for the characters a name may
    /// hold (the programs run with invariant globalization, whose <c>string.Normalize</c> lacks NFKC).
    /// </summary>
    public static string Canonical(string s)
    {
        ArgumentNullException.ThrowIfNull(s);
        return Data.Value.Nfkc(Data.Value.Nfkc(s).ToLowerInvariant());
    }

    /// <summary>
    /// Why <paramref name="s"/> is not a valid name (or room, with <paramref name="room"/>), in a sentence
    /// the user can act on; null when it is valid. Characters are quoted as U+XXXX, never echoed raw.
    /// </summary>
    public static string? Problem(string? s, bool room = false)
    {
        var what = room ? "room names" : "names";
        var max = room ? Names.MaxRoomLength : Names.MaxNameLength;
        if (string.IsNullOrEmpty(s) || s.Length > max)
            return $"{what} are 1-{max} characters";
        foreach (var c in s)
        {
            if (!(char.IsLetterOrDigit(c) || c is '_' or '-' or '.' || (room && c == '#')))
                return $"{what} are letters, digits, '_', '-', '.'{(room ? " or '#'" : "")}; {Code(c)} is not allowed";
            if (Data.Value.IsIgnorable(c))
                return $"{Code(c)} is an invisible character; {what} cannot contain it";
            if (Data.Value.IsConjoining(c))
                return $"{Code(c)} is a conjoining jamo; write the composed syllable";
        }
        var canonical = Canonical(s);
        if (!string.Equals(canonical, s, StringComparison.Ordinal))
            return $"{what} must be in canonical form (NFKC, lower case): use \"{Printable(canonical)}\"";
        var scripts = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var c in s)
        {
            var script = Data.Value.ScriptOf(c);
            if (script == "Unknown")
                return $"{Code(c)} is not an assigned character";
            if (script is not ("Common" or "Inherited"))
                scripts.Add(script);
        }
        if (scripts.Count > 1 && !MixedSets.Any(set => scripts.IsSubsetOf(set)))
            return $"{what} must be written in one script; this one mixes {string.Join(" and ", scripts)}";
        return null;
    }

    /// <summary>
    /// What <paramref name="s"/> looks like (UTS #39's confusable skeleton, from Unicode's confusables):
    /// "аlice" with a Cyrillic а and "alice" share one; so do "rn" and "m", "l" and "1".
    /// </summary>
    public static string Skeleton(string s)
    {
        ArgumentNullException.ThrowIfNull(s);
        var sb = new StringBuilder(s.Length);
        foreach (var c in Canonical(s))
            sb.Append(Data.Value.SkeletonOf(c));
        return sb.ToString();
    }

    private static string Code(char c) =>
        c is >= ' ' and < (char)0x7F ? $"'{c}'" : $"U+{(int)c:X4}";

    private static string Printable(string s) =>
        string.Concat(s.Select(c => char.IsLetterOrDigit(c) || c is '_' or '-' or '.' or '#' ? c.ToString() : Code(c)));

    private sealed class ProfileData
    {
        private readonly List<(char First, char Last, string Script)> _scripts = [];
        private readonly List<(char First, char Last)> _ignorable = [];
        private readonly Dictionary<char, string> _skeleton = [];
        private readonly Dictionary<char, string> _nfkc = [];
        private readonly HashSet<char> _conjoining = [];

        public static ProfileData Load()
        {
            using var stream = typeof(NameProfile).Assembly.GetManifestResourceStream("Entice.Wire.NameProfile.data")
                ?? throw new InvalidOperationException("embedded NameProfile.data is missing from the build");
            using var reader = new StreamReader(stream);
            var data = new ProfileData();
            while (reader.ReadLine() is { } line)
            {
                if (line.Length == 0 || line[0] == '#')
                    continue;
                var f = line.Split(' ');
                switch (f[0])
                {
                    case "S": data._scripts.Add((Hex(f[1]), Hex(f[2]), f[3])); break;
                    case "I": data._ignorable.Add((Hex(f[1]), Hex(f[2]))); break;
                    case "C": data._skeleton[Hex(f[1])] = string.Concat(f.Skip(2).Select(h => Hex(h).ToString())); break;
                    case "N": data._nfkc[Hex(f[1])] = string.Concat(f.Skip(2).Select(h => Hex(h).ToString())); break;
                    case "J": data._conjoining.Add(Hex(f[1])); break;
                }
            }
            return data;
        }

        private static char Hex(string h) => (char)int.Parse(h, NumberStyles.HexNumber, CultureInfo.InvariantCulture);

        public bool IsIgnorable(char c) => _ignorable.Exists(r => c >= r.First && c <= r.Last);

        public string ScriptOf(char c)
        {
            if (c is '_' or '-' or '.' or '#')
                return "Common";
            int lo = 0, hi = _scripts.Count - 1;
            while (lo <= hi)
            {
                var mid = (lo + hi) / 2;
                var (first, last, script) = _scripts[mid];
                if (c < first)
                    hi = mid - 1;
                else if (c > last)
                    lo = mid + 1;
                else
                    return script;
            }
            return "Unknown";
        }

        public bool IsConjoining(char c) => _conjoining.Contains(c);

        public string Nfkc(string s)
        {
            var sb = new StringBuilder(s.Length);
            foreach (var c in s)
            {
                if (_nfkc.TryGetValue(c, out var mapped))
                    sb.Append(mapped);
                else
                    sb.Append(c);
            }
            return sb.ToString();
        }

        public string SkeletonOf(char c) => _skeleton.TryGetValue(c, out var s) ? s : c.ToString();
    }
}
