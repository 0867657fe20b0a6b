using System.Net;
using Entice.Channels;
using Entice.ClientNode.Discovery;
using Entice.Discovery;
using Entice.Tests.Support;

namespace Entice.Tests.Discovery;

/// <summary>
/// Issues 13 and 14: a relay picked from what the network announced is connected to with the key it
/// announced required; an announcement never talks a client out of a key it pinned for that address.
/// </summary>
public sealed class ChosenServerSpecs : IDisposable
{
    private static readonly ServerFingerprint Announced = ServerFingerprint.Parse("3f2a91c00b175e44a0d26c198e3b7f0012abcdef");
    private static readonly ServerFingerprint Other = ServerFingerprint.Parse("0000111122223333444455556666777788889999");
    private readonly TempDirs dirs = new();

    private static DiscoveredServer Found(ServerFingerprint? fp) => new(IPAddress.Parse("192.168.7.1"), 42000, fp, "kitchen");

    [Fact]
    public void The_announced_key_is_required_when_nothing_was_pinned_or_the_same_key_was()
    {
        var keyDir = Directory.CreateDirectory(dirs.New()).FullName;
        var first = ServerChoice.Target(Found(Announced), keyDir, out var problem);
        Assert.Null(problem);
        Assert.Equal(new ServerTarget(new DnsEndPoint("192.168.7.1", 42000), Announced), first);

        ServerPins.Load(keyDir).Accept(new DnsEndPoint("192.168.7.1", 42000), Announced);
        Assert.Equal(Announced, ServerChoice.Target(Found(Announced), keyDir, out _)?.Fingerprint);
    }

    [Fact]
    public void An_announcement_of_another_key_than_the_pinned_one_stops_the_client_and_says_how_to_accept_it()
    {
        var keyDir = Directory.CreateDirectory(dirs.New()).FullName;
        ServerPins.Load(keyDir).Accept(new DnsEndPoint("192.168.7.1", 42000), Other);

        var target = ServerChoice.Target(Found(Announced), keyDir, out var problem);

        Assert.Null(target);
        Assert.Contains(Other.ToString(), problem, StringComparison.Ordinal);
        Assert.Contains(Announced.ToString(), problem, StringComparison.Ordinal);
        Assert.Contains("--server 192.168.7.1:42000@" + Announced.ToCompactString(), problem, StringComparison.Ordinal);
        // Nothing was re-pinned by the announcement.
        Assert.Equal(Other, ServerPins.Load(keyDir).Get(new DnsEndPoint("192.168.7.1", 42000)));
    }

    [Fact]
    public void A_relay_announcing_no_key_is_left_to_the_pin()
    {
        var keyDir = Directory.CreateDirectory(dirs.New()).FullName;
        ServerPins.Load(keyDir).Accept(new DnsEndPoint("192.168.7.1", 42000), Other);

        Assert.Equal(new ServerTarget(new DnsEndPoint("192.168.7.1", 42000), null), ServerChoice.Target(Found(null), keyDir, out var problem));
        Assert.Null(problem);
    }

    public void Dispose() => dirs.Dispose();
}
