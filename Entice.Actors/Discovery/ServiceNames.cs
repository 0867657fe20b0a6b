using Makaretu.Dns;

namespace Entice.Discovery;

/// <summary>The DNS-SD names an Entice relay is announced under (RFC 6763 over multicast DNS, RFC 6762).</summary>
public static class ServiceNames
{
    /// <summary>The service type browsed for: <c>_entice._tcp.local</c>.</summary>
    public static readonly DomainName ServiceType = new("_entice._tcp.local");

    /// <summary>The meta-query name that lists every service type on the link.</summary>
    public static readonly DomainName AllServices = new("_services._dns-sd._udp.local");

    /// <summary>Longest instance label in UTF-8 bytes (a DNS label).</summary>
    public const int MaxLabelBytes = 63;

    /// <summary>How long answers may be cached by others (RFC 6762 recommends 75 minutes for SRV/TXT/A; short here: a hotspot's addresses change).</summary>
    public static readonly TimeSpan Ttl = TimeSpan.FromMinutes(2);

    /// <summary>The instance's full name: <c>LABEL._entice._tcp.local</c>.</summary>
    public static DomainName Instance(string label) => DomainName.Join(new DomainName(label), ServiceType);

    /// <summary>
    /// A label fit for an instance name: no control characters, no dots (they would read as a name
    /// boundary), at most <see cref="MaxLabelBytes"/> UTF-8 bytes; "entice" when nothing is left.
    /// </summary>
    public static string InstanceLabel(string wanted)
    {
        ArgumentNullException.ThrowIfNull(wanted);
        var text = new System.Text.StringBuilder();
        var bytes = 0;
        foreach (var rune in wanted.Trim().EnumerateRunes())
        {
            var r = rune.Value == '.' ? new System.Text.Rune('-') : rune;
            if (System.Text.Rune.IsControl(r) || r.Utf8SequenceLength + bytes > MaxLabelBytes)
                continue;
            bytes += r.Utf8SequenceLength;
            text.Append(r.ToString());
        }
        return text.Length == 0 ? "entice" : text.ToString();
    }

    /// <summary>A host label for the SRV target: letters, digits and hyphens only (RFC 952), "entice" when nothing is left.</summary>
    public static string HostLabel(string wanted)
    {
        ArgumentNullException.ThrowIfNull(wanted);
        var chars = wanted.Where(c => char.IsAsciiLetterOrDigit(c) || c == '-').Take(MaxLabelBytes).ToArray();
        var label = new string(chars).Trim('-');
        return label.Length == 0 ? "entice" : label;
    }
}
