using System.Globalization;
using System.Net;

namespace Entice.Discovery;

/// <summary>A relay heard on the link: where to connect, its key fingerprint if it announced one, and its instance name (shown visibly).</summary>
public sealed record DiscoveredServer(IPAddress Address, int Port, string? Fingerprint, string Name)
{
    /// <summary>HOST:PORT as <c>--server</c> takes it.</summary>
    public string Endpoint => $"{Address}:{Port.ToString(CultureInfo.InvariantCulture)}";
}
