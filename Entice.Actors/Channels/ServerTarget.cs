using System.Net;

namespace Entice.Channels;

/// <summary>
/// A server address as the user gives it: <c>HOST:PORT</c> or <c>HOST:PORT@FINGERPRINT</c> (the server
/// key's fingerprint as the server prints it, spaces optional). With a fingerprint the client requires
/// that key (and pins it); without one it uses the pin, or pins on first use.
/// </summary>
public sealed record ServerTarget(DnsEndPoint Endpoint, ServerFingerprint? Fingerprint)
{
    /// <summary>"HOST:PORT[@FINGERPRINT][,...]"; FormatException names the bad part.</summary>
    public static IReadOnlyList<ServerTarget> ParseList(string list)
    {
        ArgumentNullException.ThrowIfNull(list);
        var result = new List<ServerTarget>();
        foreach (var part in list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            result.Add(Parse(part));
        }

        if (result.Count == 0)
        {
            throw new FormatException("no server address given");
        }

        return result;
    }

    public static ServerTarget Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var at = text.IndexOf('@', StringComparison.Ordinal);
        var address = (at < 0 ? text : text[..at]).Trim();
        if (address.Length == 0 || address.Contains(','))
        {
            throw new FormatException($"'{text}' is not HOST:PORT[@FINGERPRINT]");
        }

        var endpoint = ParseEndpoint(address);
        if (at < 0)
        {
            return new ServerTarget(endpoint, null);
        }

        if (!ServerFingerprint.TryParse(text[(at + 1)..], out var fingerprint, out var problem))
        {
            throw new FormatException($"'{text}': {problem}");
        }

        return new ServerTarget(endpoint, fingerprint);
    }

    /// <summary>"HOST:PORT", IPv6 as [addr]:port; FormatException names the bad part.</summary>
    public static DnsEndPoint ParseEndpoint(string part)
    {
        ArgumentNullException.ThrowIfNull(part);
        part = part.Trim();
        var colon = part.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(part[(colon + 1)..], out var port) || port is <= 0 or > 65535)
        {
            throw new FormatException($"'{part}' is not HOST:PORT");
        }

        return new DnsEndPoint(part[..colon].Trim('[', ']'), port);
    }

    /// <summary>The address as pins store it: lowercase host, IPv6 in brackets, then the port.</summary>
    public static string KeyOf(DnsEndPoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var host = endpoint.Host.ToLowerInvariant();
        return host.Contains(':', StringComparison.Ordinal) ? $"[{host}]:{endpoint.Port}" : $"{host}:{endpoint.Port}";
    }

    public override string ToString() => Fingerprint is null ? KeyOf(Endpoint) : $"{KeyOf(Endpoint)}@{Fingerprint.ToCompactString()}";
}
