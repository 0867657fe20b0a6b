using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting.Display;

namespace Entice.ClientNode.Tui;

/// <summary>Serilog lines to a file while the terminal UI owns the screen (stderr would draw over it).</summary>
internal sealed class FileLogSink(TextWriter writer, string template) : ILogEventSink
{
    private readonly MessageTemplateTextFormatter _formatter = new(template);

    public void Emit(LogEvent logEvent)
    {
        lock (writer)
        {
            _formatter.Format(logEvent, writer);
            writer.Flush();
        }
    }
}
