using Entice.Config;
using Entice.Client;
using Entice.Client.Memory;
using Entice.Tests.Support;

namespace Entice.Tests.Client.Memory;

/// <summary>
/// Which setting wins, strongest first: command-line options, --config, the user's client.conf, what
/// is remembered, hocon/client.conf.
/// </summary>
public sealed class SettingsPrecedenceSpecs : IDisposable
{
    private readonly TempDirs _dirs = new();
    private readonly string _dir;

    public SettingsPrecedenceSpecs()
    {
        _dir = _dirs.New();
        Directory.CreateDirectory(_dir);
    }

    private string File(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        System.IO.File.WriteAllText(path, text);
        return path;
    }

    private static readonly ClientMemory Remembered = new("alice", [new RememberedServer("10.0.0.9:4000")], ["games", "lobby", "work"]);

    [Fact]
    public void With_no_files_the_defaults_apply_and_what_is_remembered_replaces_them()
    {
        var layers = UserConfig.Load(null, userFile: Path.Combine(_dir, "absent.conf"));
        // No server configured means "look on the local network" (discovery); the remembered relay fills in.
        Assert.Equal("", layers.Full.GetString("entice.client.server"));
        Assert.True(layers.Files.IsEmpty);
        Assert.Equal("10.0.0.9:4000", $"{RememberedStart.Servers(layers, Remembered)![0].Host}:{RememberedStart.Servers(layers, Remembered)![0].Port}");
        Assert.Equal(["games", "lobby", "work"], RememberedStart.Rooms(null, layers, Remembered, "lobby"));
        Assert.Null(RememberedStart.Servers(layers, null));
        Assert.Equal(["lobby"], RememberedStart.Rooms(null, layers, null, "lobby"));
    }

    [Fact]
    public void The_user_file_is_over_the_defaults_and_over_what_is_remembered()
    {
        var user = File("user.conf", "entice.client { server = \"10.0.0.1:42000\", room = work, drain-timeout = 5s }");
        var layers = UserConfig.Load(null, user);
        Assert.Equal("10.0.0.1:42000", layers.Full.GetString("entice.client.server"));
        Assert.Equal(TimeSpan.FromSeconds(5), ClientSettings.FromConfig(layers.Full, "alice").DrainTimeout);
        Assert.Equal(TimeSpan.FromSeconds(10), ClientSettings.FromConfig(layers.Full, "alice").ConnectTimeout); // untouched: the default
        Assert.Null(RememberedStart.Servers(layers, Remembered)); // the file chose a server: it stands
        Assert.Equal(["work", "games", "lobby"], RememberedStart.Rooms(null, layers, Remembered, "work"));
    }

    [Fact]
    public void The_config_option_is_over_the_user_file_and_the_room_option_over_everything()
    {
        var user = File("user.conf", "entice.client { server = \"10.0.0.1:42000\", drain-timeout = 5s, connect-timeout = 3s }");
        var over = File("over.conf", "entice.client { server = \"10.0.0.2:42000\", drain-timeout = 7s }");
        var layers = UserConfig.Load(over, user);
        var settings = ClientSettings.FromConfig(layers.Full, "alice");
        Assert.Equal("10.0.0.2", settings.Servers[0].Host);
        Assert.Equal(TimeSpan.FromSeconds(7), settings.DrainTimeout);
        Assert.Equal(TimeSpan.FromSeconds(3), settings.ConnectTimeout); // from the user file, not replaced
        Assert.Equal(["chess", "games", "lobby", "work"], RememberedStart.Rooms("Chess", layers, Remembered, settings.Room));
    }

    [Theory]
    [InlineData("entice.client { server = ${nowhere} }")]
    [InlineData("entice.client }}} server")]
    [InlineData("entice.client { server = [1, 2 }")] // Akka's parser alone loops forever on this one
    [InlineData("entice.client { server = \"10.0.0.1:42000\"")]
    [InlineData("entice.client { server = \"10.0.0.1:42000 }")]
    public void A_bad_user_file_is_an_error_naming_it_and_a_missing_config_option_file_too(string text)
    {
        var user = File("user.conf", text);
        var ex = Assert.Throws<FormatException>(() => UserConfig.Load(null, user));
        Assert.Contains(user, ex.Message, StringComparison.Ordinal);
        Assert.Throws<FileNotFoundException>(() => UserConfig.Load(Path.Combine(_dir, "nope.conf"), Path.Combine(_dir, "absent.conf")));
    }

    [Fact]
    public void Brackets_in_strings_and_comments_do_not_count()
    {
        Assert.Null(HoconShape.Problem("a { b = \"{[\", c = [1, 2] } # ]]\n// }}\nd = \"\"\"\n{\n\"\"\"\ne = \"x\\\"}\""));
        Assert.Equal("line 2: ']' does not close the '{' of line 1", HoconShape.Problem("a {\n]"));
    }

    [Fact]
    public void The_user_config_file_follows_XDG_CONFIG_HOME()
    {
        if (OperatingSystem.IsWindows())
            return;
        var before = Environment.GetEnvironmentVariable("XDG_CONFIG_HOME");
        try
        {
            Environment.SetEnvironmentVariable("XDG_CONFIG_HOME", _dir);
            Assert.Equal(Path.Combine(_dir, "entice", "client.conf"), ClientPaths.UserConfigFile());
            Environment.SetEnvironmentVariable("XDG_CONFIG_HOME", null);
            Assert.EndsWith(Path.Combine(".config", "entice", "client.conf"), ClientPaths.UserConfigFile(), StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable("XDG_CONFIG_HOME", before);
        }
    }

    public void Dispose() => _dirs.Dispose();
}
