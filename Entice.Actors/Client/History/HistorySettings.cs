namespace Entice.Client.History;

/// <summary>The kept history's knobs: <c>entice.client.history</c> in <c>hocon/client.conf</c>.</summary>
public sealed record HistorySettings
{
    /// <summary>How long messages and typed lines are kept; zero keeps nothing (and deletes what was kept).</summary>
    public TimeSpan Keep { get; init; } = TimeSpan.FromDays(30);

    /// <summary>Messages kept per conversation, the newest.</summary>
    public int MaxPerConversation { get; init; } = 10_000;

    /// <summary>Typed lines kept for Up/Down and Ctrl+R.</summary>
    public int MaxInputLines { get; init; } = 200;

    /// <summary>Writes waiting for the disk; beyond this a record is dropped (counted, logged), never waited for.</summary>
    public int QueueCapacity { get; init; } = 1_000;

    public bool Enabled => Keep > TimeSpan.Zero;

    public static HistorySettings FromConfig(Akka.Configuration.Config config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var d = new HistorySettings();
        var c = config.GetConfig("entice.client.history");
        if (c is null || c.IsEmpty)
            return d;
        var settings = new HistorySettings
        {
            Keep = c.GetTimeSpan("keep", d.Keep),
            MaxPerConversation = c.GetInt("max-per-conversation", d.MaxPerConversation),
            MaxInputLines = c.GetInt("max-input-lines", d.MaxInputLines),
            QueueCapacity = c.GetInt("queue", d.QueueCapacity),
        };
        if (settings.Keep < TimeSpan.Zero || settings.MaxPerConversation < 1 || settings.MaxInputLines < 0 || settings.QueueCapacity < 1)
            throw new FormatException("entice.client.history: keep must be 0 or more, max-per-conversation and queue at least 1, max-input-lines 0 or more");
        return settings;
    }
}
