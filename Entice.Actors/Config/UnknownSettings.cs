using Akka.Configuration.Hocon;
using Entice.Display;

namespace Entice.Config;

/// <summary>
/// Settings a user's file sets under <c>entice</c> that no default file has: a typo (<c>max-conections</c>)
/// or a setting that no longer exists. HOCON takes any key, and the program reads only the ones it knows,
/// so without this check such a line would be ignored silently (a typo in <c>channel.enabled</c> or a rate
/// limit would leave the default in force with no word about it). Akka's own <c>akka.*</c> settings are not
/// checked here.
/// </summary>
public static class UnknownSettings
{
    /// <summary>The paths (in the file's order) that <paramref name="files"/> sets under <c>entice</c> and none of <paramref name="defaults"/> has.</summary>
    public static IReadOnlyList<string> In(Akka.Configuration.Config files, params Akka.Configuration.Config[] defaults)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(defaults);
        var known = new HashSet<string>(StringComparer.Ordinal);
        foreach (var config in defaults)
            Walk(config.Root, "", path => known.Add(path), leavesOnly: false);
        var unknown = new List<string>();
        if (!files.IsEmpty)
            Walk(files.Root, "", path =>
            {
                if ((path == "entice" || path.StartsWith("entice.", StringComparison.Ordinal)) && !known.Contains(path))
                    unknown.Add(path);
            }, leavesOnly: true);
        return unknown;
    }

    /// <summary>
    /// One line per unknown setting, for stderr: the file, the path, and where the settings are listed. A key or
    /// file name goes through <see cref="PeerText"/> (a file from elsewhere may hold an escape sequence or a bidi
    /// override): made visible, never acted on by the terminal.
    /// </summary>
    public static IEnumerable<string> Lines(string program, string file, IReadOnlyList<string> unknown, string listedIn) =>
        unknown.Select(path => $"{program}: {PeerText.Visible(file)}: unknown setting {PeerText.Visible(path)} (not used; the settings are listed in {listedIn})");

    // Every object and leaf path (or leaves only); an object the defaults leave empty would be a map of the
    // user's own keys, but no default file has one.
    private static void Walk(HoconValue? value, string prefix, Action<string> visit, bool leavesOnly)
    {
        if (value is null)
            return;
        if (!value.IsObject())
        {
            if (prefix.Length > 0)
                visit(prefix);
            return;
        }
        if (prefix.Length > 0 && !leavesOnly)
            visit(prefix);
        foreach (var (key, child) in value.GetObject().Items)
            Walk(child, prefix.Length == 0 ? key : prefix + "." + key, visit, leavesOnly);
    }
}
