using Serilog;
using Serilog.Events;

namespace Entice.Logging;

/// <summary>
/// Serilog for everything, Akka included (through Akka.Logger.Serilog, configured in hocon/).
/// Nodes pass the sink; this keeps the levels and the output template in one place.
/// </summary>
public static class EnticeLogging
{
    public const string Template = "{Timestamp:HH:mm:ss.fff} {Level:u3} {Message:lj}{NewLine}{Exception}";

    public static LogEventLevel ParseLevel(string? level, LogEventLevel fallback) =>
        Enum.TryParse<LogEventLevel>(level, ignoreCase: true, out var parsed) ? parsed : fallback;

    /// <summary>
    /// Akka's level for a Serilog minimum (the value of <c>akka.loglevel</c>): Akka builds and hands to the
    /// logger actor only events at or above it, so a node at Warning pays nothing for Information lines, and
    /// one at Debug sees Akka's Debug lines (the relay's line per envelope, issue 17).
    /// </summary>
    public static string AkkaLevel(LogEventLevel minimum) => minimum switch
    {
        <= LogEventLevel.Debug => "DEBUG",
        LogEventLevel.Information => "INFO",
        LogEventLevel.Warning => "WARNING",
        _ => "ERROR",
    };

    public static LoggerConfiguration Base(LogEventLevel minimum) =>
        new LoggerConfiguration().MinimumLevel.Is(minimum).Enrich.FromLogContext();
}
