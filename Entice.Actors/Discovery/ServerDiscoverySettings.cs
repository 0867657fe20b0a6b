namespace Entice.Discovery;

/// <summary>The relay's announcement knobs: <c>entice.server.discovery</c> in <c>hocon/server.conf</c>.</summary>
public sealed record ServerDiscoverySettings
{
    public bool Enabled { get; init; } = true;

    /// <summary>The instance name clients list; empty: this machine's host name.</summary>
    public string InstanceName { get; init; } = "";

    /// <summary>Answers sent a second at most, however many queries arrive.</summary>
    public double AnswersPerSecond { get; init; } = 10;

    /// <summary>The name announced: the configured one, else the host name, made fit for a DNS label.</summary>
    public string EffectiveInstanceName => ServiceNames.InstanceLabel(InstanceName.Length > 0 ? InstanceName : $"Entice on {Environment.MachineName}");

    public static ServerDiscoverySettings FromConfig(Akka.Configuration.Config root)
    {
        ArgumentNullException.ThrowIfNull(root);
        var d = new ServerDiscoverySettings();
        var c = root.GetConfig("entice.server.discovery");
        if (c is null)
            return d;
        return d with
        {
            Enabled = c.GetBoolean("enabled", d.Enabled),
            InstanceName = c.GetString("instance-name", d.InstanceName) ?? "",
            AnswersPerSecond = c.GetDouble("answers-per-second", d.AnswersPerSecond),
        };
    }
}
