using Akka.Configuration;
using Entice.Client.Memory;
using Entice.Config;
using Entice.Tests.Support;

namespace Entice.Tests.Config;

/// <summary>
/// A setting in a user's file that the program does not have (a typo, or one that no longer exists) is named,
/// instead of the default staying in force without a word.
/// </summary>
public sealed class UnknownSettingsSpecs : IDisposable
{
    private readonly TempDirs _dirs = new();

    private static readonly Akka.Configuration.Config[] ServerDefaults = [EnticeConfig.Defaults("server.conf"), EnticeConfig.Defaults("cluster.conf")];

    [Fact]
    public void A_typo_and_a_removed_setting_are_named_and_known_ones_are_not()
    {
        var file = ConfigurationFactory.ParseString("""
            entice.server {
              port = 4000
              max-conections = 5
              transport = akka-io
              rate-limit { envelopes-per-second = 10, brust = 20 }
              channel.enabled = on
            }
            entice.cluster.seed-nodes = []
            entice.sever.port = 1
            akka.loglevel = INFO
            """);

        Assert.Equal(
            ["entice.server.max-conections", "entice.server.transport", "entice.server.rate-limit.brust", "entice.sever.port"],
            UnknownSettings.In(file, ServerDefaults));
    }

    [Fact]
    public void The_shipped_files_set_nothing_unknown_and_an_empty_file_names_nothing()
    {
        Assert.Empty(UnknownSettings.In(EnticeConfig.Defaults("server.conf"), ServerDefaults));
        Assert.Empty(UnknownSettings.In(EnticeConfig.Defaults("client.conf"), EnticeConfig.Defaults("client.conf")));
        Assert.Empty(UnknownSettings.In(Akka.Configuration.Config.Empty, ServerDefaults));
    }

    [Fact]
    public void A_control_character_in_a_key_is_made_visible_not_sent_to_the_terminal()
    {
        var file = ConfigurationFactory.ParseString("entice.server { \"evil\\u001b[2J\" = 1 }");

        var line = Assert.Single(UnknownSettings.Lines("entice-server", "my.conf", UnknownSettings.In(file, ServerDefaults), "hocon/server.conf"));

        Assert.DoesNotContain('\u001b', line);
        Assert.Contains("entice.server.evil␛[2J", line, StringComparison.Ordinal);
    }

    [Fact]
    public void A_section_given_where_a_value_belongs_is_named_by_its_keys()
    {
        var file = ConfigurationFactory.ParseString("entice.server.port { number = 4000 }");

        Assert.Equal(["entice.server.port.number"], UnknownSettings.In(file, ServerDefaults));
    }

    [Fact]
    public void The_client_names_each_file_with_what_it_sets_that_the_client_does_not_have()
    {
        var dir = _dirs.New();
        Directory.CreateDirectory(dir);
        var user = Path.Combine(dir, "client.conf");
        var given = Path.Combine(dir, "given.conf");
        File.WriteAllText(user, "entice.client { room = games, reconect.initial-delay = 1s }");
        File.WriteAllText(given, "entice.client.server = \"10.0.0.9:4000\"\nentice.client.colour = red");

        var layers = UserConfig.Load(given, userFile: user);

        Assert.Equal(2, layers.Unknown.Count);
        Assert.Equal(user, layers.Unknown[0].File);
        Assert.Equal(["entice.client.reconect.initial-delay"], layers.Unknown[0].Paths);
        Assert.Equal(given, layers.Unknown[1].File);
        Assert.Equal(["entice.client.colour"], layers.Unknown[1].Paths);
        Assert.Equal("games", layers.Full.GetString("entice.client.room")); // the rest still applies
        Assert.Equal(
            $"entice-client: {given}: unknown setting entice.client.colour (not used; the settings are listed in hocon/client.conf)",
            Assert.Single(UnknownSettings.Lines("entice-client", given, layers.Unknown[1].Paths, "hocon/client.conf")));
    }

    public void Dispose() => _dirs.Dispose();
}
