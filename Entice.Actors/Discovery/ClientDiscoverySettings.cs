namespace Entice.Discovery;

/// <summary>How a client looks for relays: <c>entice.client.discovery</c> in <c>hocon/client.conf</c>.</summary>
public sealed record ClientDiscoverySettings
{
    /// <summary>How long to look when nothing answers.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Once one relay answered, how much longer to listen for others.</summary>
    public TimeSpan Settle { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>The query is sent again this often while looking (a relay starting meanwhile announces itself too).</summary>
    public TimeSpan QueryInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Most relays listed; more are ignored.</summary>
    public int MaxServers { get; init; } = 20;

    public static ClientDiscoverySettings FromConfig(Akka.Configuration.Config root)
    {
        ArgumentNullException.ThrowIfNull(root);
        var d = new ClientDiscoverySettings();
        var c = root.GetConfig("entice.client.discovery");
        if (c is null)
            return d;
        return d with
        {
            Timeout = c.GetTimeSpan("timeout", d.Timeout),
            Settle = c.GetTimeSpan("settle", d.Settle),
            QueryInterval = c.GetTimeSpan("query-interval", d.QueryInterval),
            MaxServers = c.GetInt("max-servers", d.MaxServers),
        };
    }
}
