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

    public static LoggerConfiguration Base(LogEventLevel minimum) =>
        new LoggerConfiguration().MinimumLevel.Is(minimum).Enrich.FromLogContext();
}
