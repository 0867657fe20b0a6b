using System.Net;
using System.Net.Sockets;
using Entice.Channels;
using Makaretu.Dns;

namespace Entice.Discovery;

/// <summary>
/// What a relay says about itself on the link: a PTR from <c>_entice._tcp.local</c> to its instance,
/// the instance's SRV (port, host) and TXT (protocol version, channel key fingerprint), and the host's A records
/// for the addresses it serves. Immutable; built once when the announcer starts.
/// </summary>
public sealed record Announcement(string InstanceLabel, string HostLabel, int Port, IReadOnlyList<IPAddress> Addresses, ushort Version, ServerFingerprint? Fingerprint)
{
    public DomainName Instance => ServiceNames.Instance(InstanceLabel);

    public DomainName Host => new(HostLabel, "local");

    /// <summary>The response announcing the instance (or, with <paramref name="goodbye"/>, withdrawing it: TTL 0).</summary>
    public Message Response(bool goodbye = false)
    {
        var ttl = goodbye ? TimeSpan.Zero : ServiceNames.Ttl;
        var message = new Message { QR = true, AA = true };
        message.Answers.Add(new PTRRecord { Name = ServiceNames.ServiceType, DomainName = Instance, TTL = ttl });
        // For generic browsers asking which services the link has (RFC 6763 section 9).
        message.AdditionalRecords.Add(new PTRRecord { Name = ServiceNames.AllServices, DomainName = ServiceNames.ServiceType, TTL = ttl });
        message.AdditionalRecords.Add(new SRVRecord { Name = Instance, Target = Host, Port = checked((ushort)Port), Priority = 0, Weight = 0, TTL = ttl });
        message.AdditionalRecords.Add(new TXTRecord { Name = Instance, Strings = [.. ServiceTxt.Build(Version, Fingerprint)], TTL = ttl });
        foreach (var address in Addresses.Where(a => a.AddressFamily == AddressFamily.InterNetwork))
            message.AdditionalRecords.Add(new ARecord { Name = Host, Address = address, TTL = ttl });
        return message;
    }

    /// <summary>
    /// Whether <paramref name="query"/> asks about this relay: the service type (PTR or ANY), the service
    /// meta-query, the instance (SRV, TXT or ANY) or its host (A or ANY).
    /// </summary>
    public bool Answers(Message query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var instance = Instance;
        var host = Host;
        // A query of many questions is looked at no further than its first few: bounded work.
        foreach (var q in query.Questions.Take(8))
        {
            var type = q.Type;
            if (q.Name == ServiceNames.ServiceType && type is DnsType.PTR or DnsType.ANY)
                return true;
            if (q.Name == ServiceNames.AllServices && type is DnsType.PTR or DnsType.ANY)
                return true;
            if (q.Name == instance && type is DnsType.SRV or DnsType.TXT or DnsType.ANY)
                return true;
            if (q.Name == host && type is DnsType.A or DnsType.ANY)
                return true;
        }
        return false;
    }
}
