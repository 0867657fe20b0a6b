using System.Net;
using Entice.Discovery;

namespace Entice.Tests.Discovery;

/// <summary>
/// Issue 14: the relay is announced only where its listener can be reached. A listener on 127.0.0.1
/// is announced nowhere (never on a real interface); one on a LAN address only on that interface; one
/// on 0.0.0.0 on every interface that is up and can multicast.
/// </summary>
public sealed class AnnouncedInterfacesSpecs
{
    private static readonly AnnouncedInterfaces.Nic Lo = new("lo", true, true, false, [IPAddress.Loopback, IPAddress.IPv6Loopback]);
    private static readonly AnnouncedInterfaces.Nic Wifi = new("wlan0", true, false, true, [IPAddress.Parse("192.168.7.20"), IPAddress.Parse("fe80::1")]);
    private static readonly AnnouncedInterfaces.Nic Cable = new("eth0", true, false, true, [IPAddress.Parse("10.1.0.5")]);
    private static readonly AnnouncedInterfaces.Nic Down = new("eth1", false, false, true, [IPAddress.Parse("10.2.0.5")]);
    private static readonly AnnouncedInterfaces.Nic Tunnel = new("tun0", true, false, false, [IPAddress.Parse("10.8.0.2")]);
    private static readonly AnnouncedInterfaces.Nic[] All = [Lo, Wifi, Cable, Down, Tunnel];

    [Fact]
    public void A_loopback_listener_is_not_announced_anywhere()
    {
        var choice = AnnouncedInterfaces.Select(IPAddress.Loopback, All);

        Assert.False(choice.Announce);
        Assert.Empty(choice.Interfaces);
        Assert.Contains("loopback", choice.Why, StringComparison.Ordinal);
    }

    [Fact]
    public void A_listener_on_one_address_is_announced_on_its_interface_with_that_address_only()
    {
        var choice = AnnouncedInterfaces.Select(IPAddress.Parse("192.168.7.20"), All);

        Assert.Equal(["wlan0"], choice.Interfaces);
        Assert.Equal([IPAddress.Parse("192.168.7.20")], choice.Addresses);
    }

    [Fact]
    public void A_listener_on_every_address_is_announced_on_each_interface_that_is_up_and_can_multicast()
    {
        var choice = AnnouncedInterfaces.Select(IPAddress.Any, All);

        Assert.Equal(["wlan0", "eth0"], choice.Interfaces);
        Assert.Equal([IPAddress.Parse("192.168.7.20"), IPAddress.Parse("10.1.0.5")], choice.Addresses);
    }

    [Fact]
    public void An_address_on_an_interface_that_cannot_multicast_or_is_down_is_not_announced()
    {
        Assert.False(AnnouncedInterfaces.Select(IPAddress.Parse("10.8.0.2"), All).Announce);
        Assert.False(AnnouncedInterfaces.Select(IPAddress.Parse("10.2.0.5"), All).Announce);
        Assert.False(AnnouncedInterfaces.Select(IPAddress.Any, [Lo, Down, Tunnel]).Announce);
    }
}
