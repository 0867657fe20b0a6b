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
    public sealed record Layers(Akka.Configuration.Config Full, Akka.Configuration.Config Files);

    /// <exception cref="FormatException">A file is not valid HOCON (the message names it).</exception>
    /// <exception cref="FileNotFoundException">The <c>--config</c> file is missing.</exception>
    public static Layers Load(string? overrideFile, string? userFile = null)
    {
        userFile ??= ClientPaths.UserConfigFile();
        var files = Akka.Configuration.Config.Empty;
        if (File.Exists(userFile))
            files = Parse(userFile);
        if (!string.IsNullOrEmpty(overrideFile))
        {
            if (!File.Exists(overrideFile))
                throw new FileNotFoundException($"configuration file not found: {overrideFile}", overrideFile);
            files = Parse(overrideFile).WithFallback(files);
        }
        var defaults = EnticeConfig.Defaults("client.conf");
        return new Layers(files.IsEmpty ? defaults : files.WithFallback(defaults), files);
    }

    private static Akka.Configuration.Config Parse(string file) => EnticeConfig.ParseFile(file);
}
