using Entice.Channels;
using Entice.Config;

namespace Entice.Tests.Channels;

/// <summary>--server HOST:PORT@FINGERPRINT lists, and the channel's settings from the hocon files.</summary>
public sealed class ServerTargetSpecs
{
    private const string Fp = "3f2a91c03f2a91c03f2a91c03f2a91c03f2a91c0";

    [Fact]
    public void A_list_mixes_addresses_with_and_without_a_fingerprint()
    {
        var targets = ServerTarget.ParseList($"192.168.1.20:42000@{Fp}, relay.lan:42001 ,[::1]:42002@3F2A 91C0 3f2a 91c0 3f2a 91c0 3f2a 91c0 3f2a 91c0");

        Assert.Equal(3, targets.Count);
        Assert.Equal("192.168.1.20", targets[0].Endpoint.Host);
        Assert.Equal(42000, targets[0].Endpoint.Port);
        Assert.Equal(Fp, targets[0].Fingerprint!.ToCompactString());
        Assert.Null(targets[1].Fingerprint);
        Assert.Equal("::1", targets[2].Endpoint.Host);
        Assert.Equal(Fp, targets[2].Fingerprint!.ToCompactString());
        Assert.Equal($"[::1]:42002@{Fp}", targets[2].ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("relay.lan")]
    [InlineData("relay.lan:0")]
    [InlineData("relay.lan:42000@")]
    [InlineData("relay.lan:42000@3f2a")]
    [InlineData("relay.lan:42000@" + Fp + "@" + Fp)]
    [InlineData("@" + Fp)]
    public void A_bad_entry_is_refused_naming_it(string text)
    {
        var ex = Assert.Throws<FormatException>(() => ServerTarget.ParseList(text));
        Assert.False(string.IsNullOrEmpty(ex.Message));
        if (text.Length > 0)
            Assert.Contains(text.Split('@')[0], ex.Message);
    }

    [Fact]
    public void The_channel_settings_come_from_both_hocon_files_with_their_defaults()
    {
        var server = ChannelSettings.FromConfig(EnticeConfig.Server(), "entice.server");
        var client = ChannelSettings.FromConfig(EnticeConfig.Client(), "entice.client");

        Assert.Equal([64, 256, 1024, 4096, 16384], server.PaddingBuckets);
        Assert.Equal(server.PaddingBuckets, client.PaddingBuckets);
        Assert.Equal(4096, server.PaddingStep);
        Assert.Equal(server.PaddingStep, client.PaddingStep);
        var coarse = Akka.Configuration.ConfigurationFactory.ParseString("entice.server.channel.padding-step = 16 KiB");
        Assert.Equal(16384, ChannelSettings.FromConfig(coarse, "entice.server").PaddingStep);
        Assert.Equal(TimeSpan.FromSeconds(5), server.HandshakeTimeout);
        Assert.Equal(64 * 1024, server.MaxFrameSize);
    }

    [Fact]
    public void Bad_buckets_are_refused()
    {
        var config = Akka.Configuration.ConfigurationFactory.ParseString("entice.server.channel.padding-buckets = [256, 64]");
        Assert.Throws<FormatException>(() => ChannelSettings.FromConfig(config, "entice.server"));
        config = Akka.Configuration.ConfigurationFactory.ParseString("entice.server.channel.padding-buckets = [8]");
        Assert.Throws<FormatException>(() => ChannelSettings.FromConfig(config, "entice.server"));
        config = Akka.Configuration.ConfigurationFactory.ParseString("entice.server.channel.padding-buckets = [\"1 KiB\"]");
        Assert.Throws<FormatException>(() => ChannelSettings.FromConfig(config, "entice.server"));
    }
}
