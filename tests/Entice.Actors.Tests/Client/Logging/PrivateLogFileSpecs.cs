using Entice.Logging;
using Entice.Tests.Support;
using Serilog.Events;

namespace Entice.Tests.Client.Logging;

/// <summary>The terminal UI's log file: Serilog's file sink, owner-only, rolled and bounded.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class PrivateLogFileSpecs : IDisposable
{
    private readonly TempDirs _dirs = new();

    public void Dispose() => _dirs.Dispose();

    [Fact]
    public void The_log_is_readable_by_its_owner_only_and_rolls_at_its_size_limit()
    {
        if (OperatingSystem.IsWindows())
            return;
        var dir = _dirs.New();
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, "client.log");

        using (var log = PrivateLogFile.WriteTo(EnticeLogging.Base(LogEventLevel.Information), path, fileSizeLimitBytes: 2_000, retainedFileCountLimit: 3).CreateLogger())
        {
            for (var i = 0; i < 200; i++)
                log.Information("line {Number} of the client log, long enough to fill a file quickly", i);
        }

        var files = Directory.GetFiles(dir, "client*.log");
        Assert.InRange(files.Length, 2, 3); // rolled, and the oldest beyond the limit deleted
        Assert.All(files, f => Assert.Equal(PrivateLogFile.OwnerOnly, File.GetUnixFileMode(f)));
        Assert.All(files, f => Assert.InRange(new FileInfo(f).Length, 1, 4_000));
        Assert.Contains(files, f => File.ReadAllText(f).Contains("line 199 of the client log", StringComparison.Ordinal));
    }

    [Fact]
    public void An_existing_world_readable_log_is_made_private()
    {
        if (OperatingSystem.IsWindows())
            return;
        var dir = _dirs.New();
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, "client.log");
        File.WriteAllText(path, "old\n");
        File.SetUnixFileMode(path, PrivateLogFile.OwnerOnly | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        using (var log = PrivateLogFile.WriteTo(EnticeLogging.Base(LogEventLevel.Information), path).CreateLogger())
            log.Warning("new");

        Assert.Equal(PrivateLogFile.OwnerOnly, File.GetUnixFileMode(path));
        Assert.Contains("new", File.ReadAllText(path), StringComparison.Ordinal);
    }
}
