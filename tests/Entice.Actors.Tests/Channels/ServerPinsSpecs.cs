using System.Net;
using Entice.Channels;
using Entice.Crypto.Primitives;
using Entice.Tests.Support;

namespace Entice.Tests.Channels;

/// <summary>The client's pins of server keys: first use, same, changed (loud), deliberate accept, and a strict file.</summary>
public sealed class ServerPinsSpecs : IDisposable
{
    private static readonly DnsEndPoint Server = new("192.168.1.20", 42000);
    private readonly TempDirs dirs = new();

    public void Dispose() => dirs.Dispose();

    [Fact]
    public void The_first_key_is_pinned_and_kept_across_loads()
    {
        var dir = dirs.New();
        var key = NewFingerprint();

        var first = ServerPins.Load(dir).Check(Server, key);
        var later = ServerPins.Load(dir).Check(Server, key);

        Assert.Equal(ServerPinStatus.New, first.Status);
        Assert.Equal(ServerPinStatus.Same, later.Status);
        Assert.Equal(key, ServerPins.Load(dir).Get(new DnsEndPoint("192.168.1.20", 42000)));
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(dir, ServerPins.FileName)));
    }

    [Fact]
    public void A_changed_key_is_reported_loudly_with_both_fingerprints_and_the_way_to_accept_and_is_not_pinned()
    {
        var dir = dirs.New();
        var pinned = NewFingerprint();
        var presented = NewFingerprint();
        ServerPins.Load(dir).Check(Server, pinned);

        var check = ServerPins.Load(dir).Check(Server, presented);

        Assert.Equal(ServerPinStatus.Changed, check.Status);
        Assert.Contains("SERVER KEY CHANGED", check.Message);
        Assert.Contains(pinned.ToString(), check.Message);
        Assert.Contains(presented.ToString(), check.Message);
        Assert.Contains($"--server 192.168.1.20:42000@{presented.ToCompactString()}", check.Message);
        Assert.Equal(pinned, ServerPins.Load(dir).Get(Server));
    }

    [Fact]
    public void An_explicit_accept_replaces_the_pin()
    {
        var dir = dirs.New();
        var presented = NewFingerprint();
        ServerPins.Load(dir).Check(Server, NewFingerprint());

        ServerPins.Load(dir).Accept(Server, presented);

        Assert.Equal(ServerPinStatus.Same, ServerPins.Load(dir).Check(Server, presented).Status);
    }

    [Fact]
    public void Addresses_are_pinned_apart_and_host_case_does_not_matter()
    {
        var dir = dirs.New();
        var pins = ServerPins.Load(dir);
        var a = NewFingerprint();
        pins.Check(new DnsEndPoint("Relay.LAN", 42000), a);

        Assert.Equal(ServerPinStatus.Same, pins.Check(new DnsEndPoint("relay.lan", 42000), a).Status);
        Assert.Equal(ServerPinStatus.New, pins.Check(new DnsEndPoint("relay.lan", 42001), NewFingerprint()).Status);
        Assert.Equal(ServerPinStatus.New, pins.Check(new DnsEndPoint("::1", 42000), NewFingerprint()).Status);
        Assert.Equal(3, ServerPins.Load(dir).Count);
    }

    [Theory]
    [InlineData("192.168.1.20:42000 3f2a91c03f2a91c03f2a91c03f2a91c03f2a91c0 extra")]
    [InlineData("192.168.1.20:42000  3f2a91c03f2a91c03f2a91c03f2a91c03f2a91c0")]
    [InlineData("192.168.1.20 3f2a91c03f2a91c03f2a91c03f2a91c03f2a91c0")]
    [InlineData("192.168.1.20:42000 3F2A91C03F2A91C03F2A91C03F2A91C03F2A91C0")]
    [InlineData("192.168.1.20:42000 3f2a")]
    [InlineData("192.168.1.20:42000@3f2a91c03f2a91c03f2a91c03f2a91c03f2a91c0 3f2a91c03f2a91c03f2a91c03f2a91c03f2a91c0")]
    [InlineData("\u001b[31m:42000 3f2a91c03f2a91c03f2a91c03f2a91c03f2a91c0")]
    [InlineData("192.168.1.20:42000 3f2a91c03f2a91c03f2a91c03f2a91c03f2a91c0\n192.168.1.20:42000 3f2a91c03f2a91c03f2a91c03f2a91c03f2a91c0")]
    public void A_file_with_any_line_it_would_not_write_is_refused_naming_the_line(string content)
    {
        var dir = dirs.New();
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, ServerPins.FileName), content + "\n");

        var ex = Assert.Throws<CryptoException>(() => ServerPins.Load(dir));

        Assert.Contains(ServerPins.FileName, ex.Message);
        Assert.Contains("line", ex.Message);
    }

    [Fact]
    public void An_oversized_or_binary_file_is_refused()
    {
        var dir = dirs.New();
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, ServerPins.FileName);

        File.WriteAllBytes(path, new byte[ServerPins.MaxFileBytes + 1]);
        Assert.Throws<CryptoException>(() => ServerPins.Load(dir));

        File.WriteAllBytes(path, [0xff, 0xfe, 0x00]);
        Assert.Throws<CryptoException>(() => ServerPins.Load(dir));
    }

    [Fact]
    public void The_pin_count_is_bounded()
    {
        var dir = dirs.New();
        var pins = ServerPins.Load(dir);
        var key = NewFingerprint();
        Directory.CreateDirectory(dir);
        var lines = Enumerable.Range(1, ServerPins.MaxServers).Select(i => $"10.0.{i / 250}.{i % 250}:42000 {key.ToCompactString()}");
        File.WriteAllText(Path.Combine(dir, ServerPins.FileName), string.Join("\n", lines) + "\n");
        pins = ServerPins.Load(dir);

        Assert.Equal(ServerPins.MaxServers, pins.Count);
        Assert.Throws<CryptoException>(() => pins.Check(new DnsEndPoint("10.9.9.9", 1), key));
        Assert.Equal(ServerPins.MaxServers, ServerPins.Load(dir).Count);
    }

    private static ServerFingerprint NewFingerprint()
    {
        using var key = X25519KeyPair.Generate();
        return ServerFingerprint.Of(key.PublicKey);
    }
}
