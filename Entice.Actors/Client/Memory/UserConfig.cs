using Entice.Config;

namespace Entice.Client.Memory;

/// <summary>
/// The client's configuration in layers, each over the next: <c>--config FILE</c>, the user's
/// <see cref="ClientPaths.UserConfigFile"/> (when it exists), hocon/client.conf (embedded). Command-line
/// options win over all of them.
/// </summary>
public static class UserConfig
{
    /// <param name="Full">Every layer.</param>
    /// <param name="Files">Only what the files set (empty when there are none): to tell a setting someone
    /// chose from a default, which remembered settings replace.</param>
    /// <param name="Unknown">Per file, the settings under <c>entice</c> it sets that hocon/client.conf does not
    /// have (<see cref="UnknownSettings"/>): for the program to name, since nothing reads them.</param>
    public sealed record Layers(Akka.Configuration.Config Full, Akka.Configuration.Config Files, IReadOnlyList<(string File, IReadOnlyList<string> Paths)> Unknown);

    /// <exception cref="FormatException">A file is not valid HOCON (the message names it).</exception>
    /// <exception cref="FileNotFoundException">The <c>--config</c> file is missing.</exception>
    public static Layers Load(string? overrideFile, string? userFile = null)
    {
        userFile ??= ClientPaths.UserConfigFile();
        var defaults = EnticeConfig.Defaults("client.conf");
        var files = Akka.Configuration.Config.Empty;
        var unknown = new List<(string, IReadOnlyList<string>)>();
        if (File.Exists(userFile))
            files = Parse(userFile, defaults, unknown);
        if (!string.IsNullOrEmpty(overrideFile))
        {
            if (!File.Exists(overrideFile))
                throw new FileNotFoundException($"configuration file not found: {overrideFile}", overrideFile);
            files = Parse(overrideFile, defaults, unknown).WithFallback(files);
        }
        return new Layers(files.IsEmpty ? defaults : files.WithFallback(defaults), files, unknown);
    }

    private static Akka.Configuration.Config Parse(string file, Akka.Configuration.Config defaults, List<(string, IReadOnlyList<string>)> unknown)
    {
        var config = EnticeConfig.ParseFile(file);
        if (UnknownSettings.In(config, defaults) is { Count: > 0 } paths)
            unknown.Add((file, paths));
        return config;
    }
}
