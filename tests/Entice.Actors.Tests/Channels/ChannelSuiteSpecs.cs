using Entice.Channels;
using Entice.Config;
using Entice.Transport;

namespace Entice.Tests.Channels;

/// <summary>
/// The channel's two cipher suites and their negotiation: the client picks (AES-GCM where its CPU runs it),
/// says so in the suite byte after the preamble, and the server either accepts or refuses naming what it
/// accepts. The suite byte is the prologue's last byte and the suite is in the Noise protocol name, so an
/// attacker who rewrites it gets no session on either side.
/// </summary>
public sealed class ChannelSuiteSpecs
{
    [Fact]
    public void A_client_asks_for_AES_GCM_where_its_CPU_runs_it_and_ChaChaPoly_otherwise()
    {
        var expected = ChannelSuites.IsAvailable(ChannelSuite.AesGcm) ? ChannelSuite.AesGcm : ChannelSuite.ChaChaPoly;
        using var pair = new ChannelPair();

        Assert.True(pair.Run());

        Assert.Equal(expected, pair.Settings.ClientSuite);
        Assert.Equal((byte)expected, pair.Flights[0][16]);
        Assert.Equal(expected, pair.ClientChannel!.Suite);
        Assert.Equal(expected, pair.ServerChannel!.Suite);
        Assert.Equal(expected, pair.Server.Suite);
    }

    [Theory]
    [InlineData(ChannelSuite.AesGcm, ChannelSuite.ChaChaPoly)]
    [InlineData(ChannelSuite.ChaChaPoly, ChannelSuite.AesGcm)]
    public void A_suite_byte_rewritten_on_the_way_gets_no_session_on_either_side(ChannelSuite asked, ChannelSuite rewritten)
    {
        if (!SecureChannelSpecs.SuiteRuns(ChannelSuite.AesGcm))
            return;
        using var pair = new ChannelPair(new ChannelSettings { Suite = asked });

        var completed = pair.Run((i, bytes) =>
        {
            if (i == 0)
                bytes[16] = (byte)rewritten;
            return bytes;
        });

        Assert.False(completed);
        // The server accepted the rewritten suite and answered under it; the client, hashing its own
        // suite, cannot authenticate that answer and sends nothing more, so the server never finishes.
        Assert.Equal(rewritten, pair.Server.Suite);
        Assert.Equal(ChannelFailure.AuthenticationFailed, pair.ClientStep!.Error!.Kind);
        Assert.Empty(pair.ClientStep.Outbound);
        Assert.Null(pair.ClientChannel);
        Assert.Null(pair.ServerChannel);
        Assert.Equal(HandshakeStatus.InProgress, pair.ServerStep!.Status);
    }

    [Fact]
    public void A_server_that_refuses_the_suite_says_which_it_accepts_before_any_Noise_work()
    {
        if (!SecureChannelSpecs.SuiteRuns(ChannelSuite.AesGcm))
            return;
        using var pair = new ChannelPair(
            new ChannelSettings { Suite = ChannelSuite.AesGcm },
            serverSettings: new ChannelSettings { Suites = [ChannelSuite.ChaChaPoly] });

        Assert.False(pair.Run());

        var error = pair.ServerStep!.Error!;
        Assert.Equal(ChannelFailure.SuiteRefused, error.Kind);
        Assert.Empty(pair.ServerStep.Outbound);
        Assert.Contains("asked for aesgcm", error.Reason, StringComparison.Ordinal);
        Assert.Contains("accepts chachapoly", error.Reason, StringComparison.Ordinal);
        Assert.Contains("entice.client.channel.suite", error.Reason, StringComparison.Ordinal);
        Assert.StartsWith("channel suite refused:", NoiseFrameLayer.Describe(error), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0x00)]
    [InlineData(0x03)]
    [InlineData(0xFF)]
    public void An_unknown_suite_byte_is_refused_naming_the_accepted_suites(byte value)
    {
        using var server = X25519KeyPair.Generate();
        using var responder = ChannelHandshake.Responder(new ChannelSettings(), server);

        var step = responder.Receive([.. ChannelProtocol.Preamble, value, 0x00, 0x20]);

        Assert.Equal(ChannelFailure.SuiteRefused, step.Error!.Kind);
        Assert.Contains($"0x{value:x2}", step.Error.Reason, StringComparison.Ordinal);
        Assert.Contains("chachapoly", step.Error.Reason, StringComparison.Ordinal);
        Assert.Null(responder.Suite);
    }

    [Fact]
    public void A_client_of_the_first_channel_version_without_a_suite_byte_is_told_it_speaks_another_version()
    {
        using var server = X25519KeyPair.Generate();
        using var responder = ChannelHandshake.Responder(new ChannelSettings(), server);

        var step = responder.Receive([.. "entice-channel/1"u8, 0x00, 0x20]);

        Assert.Equal(ChannelFailure.UnsupportedVersion, step.Error!.Kind);
        Assert.Contains("entice-channel/1", step.Error.Reason, StringComparison.Ordinal);
        Assert.Contains(ChannelProtocol.Name, step.Error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void The_suites_come_from_configuration_with_both_accepted_and_auto_by_default()
    {
        var server = ChannelSettings.FromConfig(EnticeConfig.Server(), "entice.server");
        var client = ChannelSettings.FromConfig(EnticeConfig.Client(), "entice.client");
        Assert.Equal([ChannelSuite.AesGcm, ChannelSuite.ChaChaPoly], server.Suites);
        Assert.Null(client.Suite);

        Assert.Equal([ChannelSuite.ChaChaPoly], Parse("entice.server.channel.suites = [chachapoly]").Suites);
        Assert.Equal(ChannelSuite.ChaChaPoly, Parse("entice.server.channel.suite = ChaChaPoly").Suite);
        Assert.Throws<FormatException>(() => Parse("entice.server.channel.suites = []"));
        Assert.Throws<FormatException>(() => Parse("entice.server.channel.suites = [rot13]"));
        Assert.Throws<FormatException>(() => Parse("entice.server.channel.suites = [chachapoly, chachapoly]"));
        Assert.Throws<FormatException>(() => Parse("entice.server.channel.suite = aes128"));
    }

    private static ChannelSettings Parse(string hocon) =>
        ChannelSettings.FromConfig(Akka.Configuration.ConfigurationFactory.ParseString(hocon), "entice.server");
}
