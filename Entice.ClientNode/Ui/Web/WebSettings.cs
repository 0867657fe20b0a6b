namespace Entice.ClientNode.Ui.Web;

/// <summary>
/// <c>--web</c>'s limits (entice.client.web in hocon/client.conf). The JSON-RPC limits
/// (entice.client.json-rpc: pending requests, answer timeout) apply as well.
/// </summary>
/// <param name="MaxMessageBytes">A longer WebSocket message is skipped unread and answered with -32600.</param>
/// <param name="MaxQueuedMessages">Messages queued for one socket and not yet sent; a socket further behind is closed.</param>
/// <param name="MaxConnections">WebSockets (tabs) at once; more are refused with 503.</param>
/// <param name="KeepAlive">WebSocket ping interval.</param>
/// <param name="StopWait">After Ctrl+C or SIGTERM, how long what is pending may still take to reach the relay before the client stops anyway.</param>
public sealed record WebSettings(int MaxMessageBytes, int MaxQueuedMessages, int MaxConnections, TimeSpan KeepAlive, TimeSpan StopWait)
{
    public static WebSettings Default { get; } = new(1024 * 1024, 2000, 8, TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(2));

    public static WebSettings FromConfig(Akka.Configuration.Config config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var c = config.GetConfig("entice.client.web");
        if (c is null)
            return Default;
        var settings = new WebSettings(
            c.GetInt("max-message-bytes", Default.MaxMessageBytes),
            c.GetInt("max-queued-messages", Default.MaxQueuedMessages),
            c.GetInt("max-connections", Default.MaxConnections),
            c.GetTimeSpan("keep-alive", Default.KeepAlive),
            c.GetTimeSpan("stop-wait", Default.StopWait));
        if (settings.MaxMessageBytes < 1024 || settings.MaxQueuedMessages < 16 || settings.MaxConnections < 1 || settings.KeepAlive <= TimeSpan.Zero
            || settings.StopWait < TimeSpan.Zero)
            throw new Akka.Configuration.ConfigurationException("entice.client.web: max-message-bytes >= 1024, max-queued-messages >= 16, max-connections >= 1, keep-alive > 0 and stop-wait >= 0 are required");
        return settings;
    }
}
