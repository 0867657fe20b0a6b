using System.Text;
using Serilog;
using Serilog.Events;
using Serilog.Sinks.File;

namespace Entice.Logging;

/// <summary>
/// The client's log file while the terminal UI owns the screen: Serilog's own file sink, rolled at
/// <c>fileSizeLimitBytes</c> (client.log, client_001.log, …; the oldest beyond <c>retainedFileCountLimit</c>
/// are deleted), every file readable by its owner only (0600): the file is created with that mode before
/// Serilog opens it, and each file Serilog opens later (a roll) is set to it before anything is written.
/// </summary>
public static class PrivateLogFile
{
    public const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public static LoggerConfiguration WriteTo(LoggerConfiguration configuration, string path, long fileSizeLimitBytes = 10 * 1024 * 1024, int retainedFileCountLimit = 5)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(path);
        CreateOwnerOnly(path);
        return configuration.WriteTo.File(
            path,
            outputTemplate: EnticeLogging.Template,
            fileSizeLimitBytes: fileSizeLimitBytes,
            rollOnFileSizeLimit: true,
            retainedFileCountLimit: retainedFileCountLimit,
            restrictedToMinimumLevel: LevelAlias.Minimum,
            shared: false,
            flushToDiskInterval: null,
            hooks: new OwnerOnlyHooks());
    }

    /// <summary>Creates the file with mode 0600 if it is missing, and sets 0600 on one that exists.</summary>
    public static void CreateOwnerOnly(string path)
    {
        if (OperatingSystem.IsWindows())
            return;
        try
        {
            using (new FileStream(path, new FileStreamOptions { Mode = FileMode.OpenOrCreate, Access = FileAccess.Write, UnixCreateMode = OwnerOnly }))
            {
            }
            File.SetUnixFileMode(path, OwnerOnly);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Serilog reports its own failure to open the file (to SelfLog); logging never stops the client.
        }
    }

    private sealed class OwnerOnlyHooks : FileLifecycleHooks
    {
        public override Stream OnFileOpened(string path, Stream underlyingStream, Encoding encoding)
        {
            if (!OperatingSystem.IsWindows())
                File.SetUnixFileMode(path, OwnerOnly);
            return underlyingStream;
        }
    }
}
