using System.Net;
using System.Net.Sockets;
using Entice.Server;
using Entice.Tests.Support;
using Entice.Server.Store;

namespace Entice.Tests.Server;

/// <summary>
/// The real server program given bad options, files, data directories and ports: one line on stderr
/// saying what is wrong, exit code 2, at once (no 15 s wait, no stack trace unless --log-level Debug).
/// </summary>
public sealed class ServerStartSpecs : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(10);
    private readonly TempDirs _dirs = new();

    public static TheoryData<string[], string> BadOptions => new()
    {
        { ["--port", "-1"], "--port -1: a TCP port is 0-65535" },
        { ["--port", "70000"], "--port 70000: a TCP port is 0-65535" },
        { ["--cluster-port", "70000"], "--cluster-port 70000: a TCP port is 0-65535" },
        { ["--port", "abc"], "Cannot parse argument 'abc'" },
        { ["--log-level", "Loud"], "--log-level Loud: use Verbose, Debug, Information, Warning or Error" },
        { ["--no-such-option"], "Unrecognized command or argument '--no-such-option'" },
        { ["--config", "/nonexistent/entice.conf"], "configuration file not found" },
        { ["--port", "0", "--data-dir", "/proc/entice-cannot-be-here"], "data directory /proc/entice-cannot-be-here" },
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public async Task A_bad_option_is_one_line_and_exit_2(string[] args, string says)
    {
        var (code, _, stderr) = await ServerProcess.RunToExitAsync(Limit, args);

        Assert.Equal(2, code);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("entice-server: ", line, StringComparison.Ordinal);
        Assert.Contains(says, line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_data_dir_that_is_a_file_is_one_line_and_exit_2()
    {
        var file = _dirs.New("entice-test-file-");
        await File.WriteAllTextAsync(file, "not a directory");

        var (code, stdout, stderr) = await ServerProcess.RunToExitAsync(Limit, "--port", "0", "--data-dir", file);

        Assert.Equal(2, code);
        Assert.Equal($"entice-server: data directory {file}: is a file, not a directory", stderr.Trim());
        Assert.DoesNotContain("Listening", stdout, StringComparison.Ordinal);
        File.Delete(file);
    }

    [Fact]
    public async Task A_bad_hocon_file_is_one_line_naming_it_and_exit_2()
    {
        var conf = _dirs.New("entice-test-conf-");
        await File.WriteAllTextAsync(conf, "entice.server { port = [");

        var (code, _, stderr) = await ServerProcess.RunToExitAsync(Limit, "--port", "0", "--config", conf);

        Assert.Equal(2, code);
        Assert.StartsWith($"entice-server: {conf}: bad configuration", Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);
        File.Delete(conf);
    }

    [Fact]
    public async Task A_hocon_file_on_which_akkas_parser_would_loop_is_refused_at_once_with_exit_2()
    {
        // Akka's HOCON parser never returns on this (it spins); the program must not either wait or spin.
        var conf = _dirs.New("entice-test-conf-");
        await File.WriteAllTextAsync(conf, "entice.server { port = [1, 2 }\n");

        var (code, _, stderr) = await ServerProcess.RunToExitAsync(Limit, "--port", "0", "--config", conf);

        Assert.Equal(2, code);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(conf, line, StringComparison.Ordinal);
        Assert.Contains("line 1: '}' does not close the '['", line, StringComparison.Ordinal);
        File.Delete(conf);
    }

    // A loopback port held by a listener of ours (disposed by the caller), so a server started on it cannot listen.
    private static TcpListener TakenPort(out string port)
    {
        var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        port = ((IPEndPoint)taken.LocalEndpoint).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return taken;
    }

    [Fact]
    public async Task A_port_in_use_is_one_line_and_exit_2_and_a_trace_only_at_debug()
    {
        using var taken = TakenPort(out var port);
        var data = _dirs.New("entice-test-data-");

        var (code, stdout, stderr) = await ServerProcess.RunToExitAsync(Limit, "--host", "127.0.0.1", "--port", port, "--data-dir", data);

        Assert.True(code == 2 && stdout.Trim().Length == 0, $"exit {code}; stdout: {stdout}; stderr: {stderr}");
        Assert.Equal($"entice-server: cannot listen on 127.0.0.1:{port}: Address already in use", stderr.Trim());
        var (debugCode, debugOut, debugErr) = await ServerProcess.RunToExitAsync(Limit, "--host", "127.0.0.1", "--port", port, "--data-dir", data, "--log-level", "Debug");
        Assert.True(debugCode == 2 && (debugOut + debugErr).Contains("   at ", StringComparison.Ordinal), $"exit {debugCode}; stdout: {debugOut}; stderr: {debugErr}");
    }

    [Fact]
    public async Task A_setting_the_server_does_not_have_is_named_on_stderr()
    {
        // The port is taken so that the program ends by itself once past its configuration.
        using var taken = TakenPort(out var port);
        var conf = _dirs.New("entice-test-conf-");
        await File.WriteAllTextAsync(conf, "entice.server { max-conections = 5, transport = akka-io, idle-timeout = 60s }");

        var (code, _, stderr) = await ServerProcess.RunToExitAsync(Limit, "--host", "127.0.0.1", "--port", port, "--data-dir", _dirs.New("entice-test-data-"), "--config", conf);

        Assert.Equal(2, code);
        Assert.Equal(
            [
                $"entice-server: {conf}: unknown setting entice.server.max-conections (not used; the settings are listed in hocon/server.conf and hocon/cluster.conf)",
                $"entice-server: {conf}: unknown setting entice.server.transport (not used; the settings are listed in hocon/server.conf and hocon/cluster.conf)",
                $"entice-server: cannot listen on 127.0.0.1:{port}: Address already in use",
            ],
            stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task The_operator_releases_a_name_with_release_name()
    {
        var data = _dirs.New("entice-test-data-");
        using (var store = OfflineStore.Open(data))
            store.OwnName("bob", "bob", [.. Enumerable.Repeat((byte)1, 32)], TimeSpan.FromDays(90));

        var (code, stdout, _) = await ServerProcess.RunToExitAsync(Limit, "release-name", "bob", "--data-dir", data);

        Assert.Equal(0, code);
        Assert.Contains("released bob", stdout, StringComparison.Ordinal);
        using (var store = OfflineStore.Open(data))
            Assert.Null(store.OwnerOf("bob"));
        Assert.Equal(1, (await ServerProcess.RunToExitAsync(Limit, "release-name", "bob", "--data-dir", data)).ExitCode);
        StoreDirs.Delete(data);
    }

    public void Dispose() => _dirs.Dispose();
}
