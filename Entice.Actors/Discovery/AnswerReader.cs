using System.Net;
using System.Net.Sockets;
using Makaretu.Dns;

namespace Entice.Discovery;

/// <summary>
/// Reads the relays one multicast DNS response describes: each PTR from <c>_entice._tcp.local</c> to an
/// instance whose SRV (port) and TXT (version, fingerprint) are in the same response. The address is the
/// response's sender when the A records name it (the address that is reachable from here), else the
/// first A record, else the sender. Pure and bounded: at most <see cref="MaxRecords"/> records and
/// <see cref="MaxInstances"/> instances are looked at; an instance with a garbage TXT, another
/// protocol version, a withdrawn PTR (TTL 0) or port 0 is left out.
/// </summary>
public static class AnswerReader
{
    public const int MaxRecords = 64;
    public const int MaxInstances = 8;

    public static IReadOnlyList<DiscoveredServer> Read(Message response, IPEndPoint from, ushort version)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(from);
        if (!response.IsResponse)
            return [];
        var records = response.Answers.Concat(response.AdditionalRecords).Take(MaxRecords).ToList();
        var found = new List<DiscoveredServer>();
        var instances = records.OfType<PTRRecord>()
            .Where(p => p.Name == ServiceNames.ServiceType && p.TTL > TimeSpan.Zero && p.DomainName is not null)
            .Select(p => p.DomainName)
            .Distinct()
            .Take(MaxInstances);
        foreach (var instance in instances)
        {
            var srv = records.OfType<SRVRecord>().FirstOrDefault(r => r.Name == instance && r.TTL > TimeSpan.Zero);
            var txt = records.OfType<TXTRecord>().Where(r => r.Name == instance).ToList();
            if (srv is null || srv.Port == 0 || txt.Count != 1 || ServiceTxt.Read(txt[0].Strings) is not { } contents || contents.Version != version)
                continue;
            var addresses = records.OfType<ARecord>()
                .Where(a => srv.Target is not null && a.Name == srv.Target && a.Address?.AddressFamily == AddressFamily.InterNetwork)
                .Select(a => a.Address)
                .ToList();
            var sender = from.Address.IsIPv4MappedToIPv6 ? from.Address.MapToIPv4() : from.Address;
            var address = addresses.Contains(sender) || addresses.Count == 0 ? sender : addresses[0];
            found.Add(new DiscoveredServer(address, srv.Port, contents.Fingerprint, Label(instance)));
        }
        return found;
    }

    // The instance's own label with control and format characters (escapes, bidi overrides) replaced:
    // a stranger's text never steers a terminal. The views show it through PeerText as well.
    private static string Label(DomainName instance)
    {
        var label = instance.Labels.Count > 0 ? instance.Labels[0] : "";
        if (label.Length > ServiceNames.MaxLabelBytes)
            label = label[..ServiceNames.MaxLabelBytes];
        return string.Concat(label.Select(c => char.IsControl(c) || char.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.Format ? '\uFFFD' : c));
    }
}
