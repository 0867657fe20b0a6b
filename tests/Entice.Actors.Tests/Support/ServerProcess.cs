using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace Entice.Tests.Support;

/// <summary>
/// A server node as its own process (the real Entice.ServerNode program), for what cannot be faked in
/// process: being killed with SIGKILL, sockets and all, without a word to anyone.
/// </summary>
internal sealed partial class ServerProcess : IDisposable
{
    private readonly Process _process;

    private ServerProcess(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    /// <summary>Starts a node on 127.0.0.1 that joins <paramref name="seed"/>'s cluster and shares <paramref name="store"/>.</summary>
    public static async Task<ServerProcess> StartClusterNodeAsync(RelayNode seed, string store)
    {
        var dll = Path.Combine(RepoRoot(), "Entice.ServerNode", "bin", BuildConfiguration(), "net10.0", "Entice.ServerNode.dll");
        if (!File.Exists(dll))
            throw new InvalidOperationException($"{dll} is missing; build the solution first");
        var info = new ProcessStartInfo("dotnet",
            [dll, "--host", "127.0.0.1", "--port", "0", "--cluster-port", FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
             "--seed-nodes", $"127.0.0.1:{seed.Address.Port}", "--log-level", "Warning"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.Environment["ENTICE_POSTGRES"] = store;
        info.Environment["ENTICE_CLUSTER_CERT"] = TestCertificates.ClusterPfxFile;
        info.Environment["ENTICE_CLUSTER_CERT_PASSWORD"] = TestCertificates.ClusterPassword;
        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start the server node");
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (await process.StandardOutput.ReadLineAsync(cts.Token) is { } line)
        {
            if (Listening().Match(line) is { Success: true } m)
            {
                _ = process.StandardOutput.ReadToEndAsync(CancellationToken.None); // keep the pipe drained
                return new ServerProcess(process, int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
            }
        }
        process.Kill(entireProcessTree: true);
        throw new InvalidOperationException($"the server node exited ({process.ExitCode}) before listening");
    }

    /// <summary>
    /// Runs the server program with <paramref name="args"/> until it exits (killed after <paramref name="limit"/>,
    /// then the exit code is null): for start-up errors, which must end the process by themselves.
    /// </summary>
    public static Task<(int? ExitCode, string Stdout, string Stderr)> RunToExitAsync(TimeSpan limit, params string[] args) =>
        RunToExitAsync(limit, new Dictionary<string, string>(), args);

    /// <summary>As above, with <paramref name="environment"/> set for the server program.</summary>
    public static async Task<(int? ExitCode, string Stdout, string Stderr)> RunToExitAsync(TimeSpan limit, IReadOnlyDictionary<string, string> environment,
        params string[] args)
    {
        var info = new ProcessStartInfo("dotnet", [ServerDll(), .. args]) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (name, value) in environment)
            info.Environment[name] = value;
        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start the server node");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(limit);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            return (null, await stdout, await stderr);
        }
        return (process.ExitCode, await stdout, await stderr);
    }

    private static string ServerDll()
    {
        var dll = Path.Combine(RepoRoot(), "Entice.ServerNode", "bin", BuildConfiguration(), "net10.0", "Entice.ServerNode.dll");
        return File.Exists(dll) ? dll : throw new InvalidOperationException($"{dll} is missing; build the solution first");
    }

    /// <summary>SIGKILL: no goodbye to clients, no cluster leave; the kernel closes its sockets.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public void Dispose()
    {
        if (!_process.HasExited)
            Kill();
        _process.Dispose();
    }

    [GeneratedRegex(@"Listening on 127\.0\.0\.1:(\d+)")]
    private static partial Regex Listening();

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    // This assembly runs from tests/Entice.Actors.Tests/bin/<Configuration>/net10.0/.
    internal static string BuildConfiguration() =>
        new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;

    internal static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Entice.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException($"no Entice.sln above {AppContext.BaseDirectory}");
    }
}
