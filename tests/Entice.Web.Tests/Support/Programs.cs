using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Entice.Web.Tests.Support;

/// <summary>
/// The real programs from the build output, started as users start them: a relay
/// (<c>Entice.ServerNode --host 127.0.0.1</c>) and clients with <c>--web --no-open</c>. Loopback only;
/// each gets its own folders under one temporary directory, removed with it.
/// </summary>
internal sealed partial class Programs : IAsyncDisposable
{
    private readonly List<Process> _processes = [];

    public string Work { get; } = Directory.CreateTempSubdirectory("entice-web-live").FullName;

    public string ServerData => Path.Combine(Work, "server");

    public static string Dll(string program)
    {
        var dll = Path.Combine(Repo.Root, program, "bin", Configuration, "net10.0", program + ".dll");
        return File.Exists(dll) ? dll : throw new InvalidOperationException($"{dll} is missing; build first");
    }

#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif

    /// <summary>Starts the relay on 127.0.0.1 (port 0: a free one; or the port it had, to restart it) and returns its port.</summary>
    public async Task<(Process Process, int Port)> ServerAsync(int port = 0)
    {
        var process = Start(Dll("Entice.ServerNode"), Work,
            "--host", "127.0.0.1", "--port", port.ToString(CultureInfo.InvariantCulture), "--data-dir", ServerData,
            "--no-discovery", "--log-level", "Warning");
        var line = await ReadUntilAsync(process, Listening(), TimeSpan.FromSeconds(60));
        return (process, int.Parse(Listening().Match(line).Groups[1].Value, CultureInfo.InvariantCulture));
    }

    /// <summary>Starts <c>entice --web</c> for <paramref name="name"/> and returns the address it printed (with its token).</summary>
    public async Task<(Process Process, string Url)> WebClientAsync(string name, int serverPort, string keyDir)
    {
        var home = Path.Combine(Work, "home-" + name);
        Directory.CreateDirectory(home);
        var process = Start(Dll("Entice.ClientNode"), home,
            "--web", "--no-open", "--name", name, "--server", $"127.0.0.1:{serverPort}", "--room", "lobby",
            "--key-dir", Path.Combine(Work, keyDir));
        var line = await ReadUntilAsync(process, Address(), TimeSpan.FromSeconds(60));
        return (process, Address().Match(line).Groups[1].Value);
    }

    /// <summary>The operator releases a name (<c>Entice.ServerNode release-name</c>): its next holder is a new identity.</summary>
    public async Task ReleaseNameAsync(string name)
    {
        var process = Start(Dll("Entice.ServerNode"), Work, "release-name", name, "--data-dir", ServerData);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var output = await process.StandardOutput.ReadToEndAsync(cts.Token);
        await process.WaitForExitAsync(cts.Token);
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"release-name {name}: exit {process.ExitCode}: {output}");
    }

    public static async Task StopAsync(Process process)
    {
        if (!process.HasExited)
            process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var p in _processes)
        {
            try
            {
                await StopAsync(p);
            }
            catch (InvalidOperationException)
            {
                // never started or already gone
            }

            p.Dispose();
        }

        try
        {
            Directory.Delete(Work, recursive: true);
        }
        catch (IOException)
        {
            // a process still closing a file: the temporary folder stays
        }
    }

    private Process Start(string dll, string home, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet", [dll, .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            WorkingDirectory = Work,
        };
        info.Environment["HOME"] = home;
        info.Environment["XDG_CONFIG_HOME"] = Path.Combine(home, ".config");
        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start " + dll);
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        _processes.Add(process);
        return process;
    }

    private static async Task<string> ReadUntilAsync(Process process, Regex pattern, TimeSpan limit)
    {
        using var cts = new CancellationTokenSource(limit);
        var seen = new List<string>();
        while (await process.StandardOutput.ReadLineAsync(cts.Token) is { } line)
        {
            seen.Add(line);
            if (pattern.IsMatch(line))
            {
                _ = process.StandardOutput.ReadToEndAsync(CancellationToken.None); // keep the pipe drained
                return line;
            }
        }

        throw new InvalidOperationException("the program ended before printing what was expected: " + string.Join(" | ", seen));
    }

    [GeneratedRegex(@"Listening on 127\.0\.0\.1:(\d+)")]
    private static partial Regex Listening();

    [GeneratedRegex(@"(http://127\.0\.0\.1:\d+/#token=[A-Za-z0-9_\-.~%]+)")]
    private static partial Regex Address();
}
