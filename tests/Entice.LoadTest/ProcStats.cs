using System.Globalization;

namespace Entice.LoadTest;

/// <summary>CPU time and memory of a process from /proc (Linux). Every read returns null when unavailable.</summary>
internal static class ProcStats
{
    private static readonly double TicksPerSecond = 100.0; // USER_HZ; 100 on every Linux we run on

    /// <summary>utime + stime in seconds.</summary>
    public static double? CpuSeconds(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // Fields after the command (which may hold spaces) start after the last ')'.
            var rest = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            // rest[0] is field 3 (state); utime is field 14, stime field 15.
            var utime = long.Parse(rest[11], CultureInfo.InvariantCulture);
            var stime = long.Parse(rest[12], CultureInfo.InvariantCulture);
            return (utime + stime) / TicksPerSecond;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    /// <summary>A field of /proc/PID/status in KiB (VmRSS, VmHWM).</summary>
    public static long? StatusKiB(int pid, string field)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (!line.StartsWith(field + ":", StringComparison.Ordinal))
                    continue;
                var parts = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
                return long.Parse(parts[1], CultureInfo.InvariantCulture);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
        }
        return null;
    }

    public static int? Threads(int pid) => (int?)StatusKiB(pid, "Threads");

    /// <summary>Busy CPU seconds of the whole machine (all cores) from /proc/stat: everything but idle and iowait.</summary>
    public static double? MachineBusySeconds()
    {
        try
        {
            var first = File.ReadLines("/proc/stat").First();
            var f = first.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Take(8)
                .Select(x => long.Parse(x, CultureInfo.InvariantCulture)).ToArray();
            var busy = f.Sum() - f[3] - f[4];
            return busy / TicksPerSecond;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            return null;
        }
    }
}

/// <summary>Samples a process's RSS every 50 ms on a background thread; keeps the peak.</summary>
internal sealed class RssSampler : IDisposable
{
    private readonly int _pid;
    private readonly Thread _thread;
    private volatile bool _stop;

    public RssSampler(int pid)
    {
        _pid = pid;
        PeakKiB = ProcStats.StatusKiB(pid, "VmRSS") ?? 0;
        _thread = new Thread(Run) { IsBackground = true, Name = "rss-sampler" };
        _thread.Start();
    }

    public long PeakKiB { get; private set; }

    private void Run()
    {
        while (!_stop)
        {
            var rss = ProcStats.StatusKiB(_pid, "VmRSS");
            if (rss > PeakKiB)
                PeakKiB = rss.Value;
            Thread.Sleep(50);
        }
    }

    public void Dispose()
    {
        _stop = true;
        _thread.Join();
    }
}
