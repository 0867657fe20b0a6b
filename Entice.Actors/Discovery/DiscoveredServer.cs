using System.Globalization;
using System.Net;
using Entice.Channels;

namespace Entice.Discovery;

/// <summary>A relay heard on the link: where to connect, its channel key fingerprint if it announced one, and its instance name (shown visibly).</summary>
public sealed record DiscoveredServer(IPAddress Address, int Port, ServerFingerprint? Fingerprint, string Name)
{
    /// <summary>HOST:PORT as <c>--server</c> takes it.</summary>
    public string Endpoint => $"{Address}:{Port.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>
    /// What a client that picked this relay connects to: the address and, when announced, the fingerprint
    /// it then requires of the server's key (as <c>--server HOST:PORT@FINGERPRINT</c> would). A machine
    /// that answered with someone else's fingerprint but has not their key fails the handshake.
    /// </summary>
    public ServerTarget Target => new(new DnsEndPoint(Address.ToString(), Port), Fingerprint);
}
