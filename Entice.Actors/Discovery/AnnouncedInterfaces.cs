using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace Entice.Discovery;

/// <summary>
/// Which interfaces a relay announces itself on, from the address its listener is bound to. The
/// announcement never reaches a network the listener does not serve: a listener on 0.0.0.0 is
/// announced on every interface that is up, not loopback and can multicast (with each one's IPv4
/// addresses); a listener on one address only on the interface holding it; a listener on loopback (or
/// an address no multicast-capable interface holds) not at all.
/// </summary>
public static class AnnouncedInterfaces
{
    /// <summary>What the selection needs to know of an interface (read from the OS by <see cref="Local"/>).</summary>
    public sealed record Nic(string Name, bool Up, bool Loopback, bool Multicast, IReadOnlyList<IPAddress> Addresses);

    /// <summary>The interfaces chosen and the IPv4 addresses announced; <see cref="Why"/> says why there are none.</summary>
    public sealed record Choice(IReadOnlyList<string> Interfaces, IReadOnlyList<IPAddress> Addresses, string? Why)
    {
        public bool Announce => Interfaces.Count > 0 && Addresses.Count > 0;
    }

    public static Choice Select(IPAddress bound, IEnumerable<Nic> nics)
    {
        ArgumentNullException.ThrowIfNull(bound);
        ArgumentNullException.ThrowIfNull(nics);
        if (IPAddress.IsLoopback(bound))
            return None($"the listener is on loopback ({bound}): only this machine can reach it");
        var usable = nics.Where(n => n.Up && !n.Loopback && n.Multicast).ToList();
        if (bound.Equals(IPAddress.Any) || bound.Equals(IPAddress.IPv6Any))
        {
            var chosen = usable.Where(n => n.Addresses.Any(IsAnnounceable)).ToList();
            return chosen.Count == 0
                ? None("no interface that is up can multicast and has an IPv4 address")
                : new Choice([.. chosen.Select(n => n.Name)], [.. chosen.SelectMany(n => n.Addresses).Where(IsAnnounceable).Distinct()], null);
        }
        var holder = usable.FirstOrDefault(n => n.Addresses.Contains(bound));
        if (holder is null)
            return None($"no multicast-capable interface that is up holds {bound}");
        if (!IsAnnounceable(bound))
            return None($"{bound} is not an IPv4 address (only IPv4 is announced)");
        return new Choice([holder.Name], [bound], null);
    }

    /// <summary>This machine's interfaces (reads the OS's interface table; nothing is sent).</summary>
    public static IReadOnlyList<Nic> Local() =>
        [.. NetworkInterface.GetAllNetworkInterfaces().Select(n => new Nic(
            n.Name,
            n.OperationalStatus == OperationalStatus.Up,
            n.NetworkInterfaceType == NetworkInterfaceType.Loopback,
            n.SupportsMulticast,
            [.. n.GetIPProperties().UnicastAddresses.Select(a => a.Address)]))];

    private static bool IsAnnounceable(IPAddress a) => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a);

    private static Choice None(string why) => new([], [], why);
}
