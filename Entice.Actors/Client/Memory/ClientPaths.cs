namespace Entice.Client.Memory;

/// <summary>
/// Where a client keeps things outside the command line:
/// <list type="bullet">
/// <item>data: <c>$XDG_DATA_HOME/entice</c> (default <c>~/.local/share/entice</c>; LocalApplicationData
/// on Windows and macOS): key directories under <c>keys/NAME</c>, and <c>last</c>, one line naming the
/// key directory used last, which <c>entice</c> with no arguments starts from;</item>
/// <item>config: <c>$XDG_CONFIG_HOME/entice/client.conf</c> (default <c>~/.config/entice/client.conf</c>;
/// ApplicationData on Windows), HOCON layered over hocon/client.conf and under <c>--config</c>.</item>
/// </list>
/// </summary>
public static class ClientPaths
{
    public static string DataHome() =>
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify), "entice");

    public static string DefaultKeyDir(string name) => Path.Combine(DataHome(), "keys", name);

    public static string LastFile() => Path.Combine(DataHome(), "last");

    public static string UserConfigFile()
    {
        if (OperatingSystem.IsWindows())
            return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.ApplicationData, Environment.SpecialFolderOption.DoNotVerify), "entice", "client.conf");
        var xdg = Environment.GetEnvironmentVariable("XDG_CONFIG_HOME");
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile, Environment.SpecialFolderOption.DoNotVerify);
        // XDG: a relative XDG_CONFIG_HOME is invalid and ignored.
        var baseDir = !string.IsNullOrEmpty(xdg) && Path.IsPathRooted(xdg) ? xdg : Path.Combine(home, ".config");
        return Path.Combine(baseDir, "entice", "client.conf");
    }
}
