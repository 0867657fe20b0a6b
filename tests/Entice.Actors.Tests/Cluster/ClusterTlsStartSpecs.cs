using System.Net;
using System.Net.Sockets;
using Entice.Server;
using Entice.Server.Cluster;
using Entice.Tests.Support;

namespace Entice.Tests.Cluster;

/// <summary>
/// A clustered server program without a usable cluster certificate: one line on stderr saying what is
/// wrong and how to fix it, exit code 2, before anything listens; the password never printed.
/// </summary>
public sealed class ClusterTlsStartSpecs : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(10);
    private readonly TempDirs _dirs = new();

    [Fact]
    public async Task Clustering_without_a_certificate_refuses_to_start_and_says_how_to_make_one()
    {
        var line = await FailsWithOneLineAsync(Environment(certificate: "", password: ""));

        Assert.Contains("needs the cluster's certificate", line, StringComparison.Ordinal);
        Assert.Contains("ENTICE_CLUSTER_CERT", line, StringComparison.Ordinal);
        Assert.Contains("openssl", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_certificate_file_is_one_line_and_exit_2()
    {
        var missing = _dirs.New("entice-test-missing-") + ".pfx";

        var line = await FailsWithOneLineAsync(Environment(missing, TestCertificates.ClusterPassword));

        Assert.Equal($"entice-server: cluster certificate {missing}: no such file", line);
    }

    [Fact]
    public async Task A_wrong_password_is_one_line_and_exit_2_without_the_password()
    {
        const string wrong = "not-the-password-4711";

        var line = await FailsWithOneLineAsync(Environment(TestCertificates.ClusterPfxFile, wrong));

        Assert.Contains($"cluster certificate {TestCertificates.ClusterPfxFile}: cannot be read: a wrong password", line, StringComparison.Ordinal);
        Assert.DoesNotContain(wrong, line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_password_file_that_is_wrong_is_one_line_and_exit_2_without_the_password()
    {
        const string wrong = "a-wrong-password-in-a-file";
        var passwordFile = _dirs.New("entice-test-password-");
        await File.WriteAllTextAsync(passwordFile, wrong + "\n");
        var conf = _dirs.New("entice-test-conf-");
        await File.WriteAllTextAsync(conf, $"entice.cluster.tls {{ certificate = \"{TestCertificates.ClusterPfxFile}\", password-file = \"{passwordFile}\" }}");

        var line = await FailsWithOneLineAsync(Environment(certificate: "", password: null), "--config", conf);

        Assert.Contains("cannot be read: a wrong password", line, StringComparison.Ordinal);
        Assert.DoesNotContain(wrong, line, StringComparison.Ordinal);
        File.Delete(passwordFile);
        File.Delete(conf);
    }

    [Fact]
    public async Task An_expired_certificate_is_one_line_and_exit_2()
    {
        using var expired = TestCertificates.SelfSigned("entice-cluster", notAfter: DateTimeOffset.UtcNow.AddDays(-1));
        var pfx = TestCertificates.WritePfx(expired, "pw");
        try
        {
            var line = await FailsWithOneLineAsync(Environment(pfx, "pw"));

            Assert.Contains($"cluster certificate {pfx}: valid only from", line, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(pfx);
        }
    }

    [Fact]
    public async Task Insecure_plaintext_is_refused_off_loopback()
    {
        var conf = _dirs.New("entice-test-conf-");
        await File.WriteAllTextAsync(conf, "entice.cluster.tls.insecure = on");

        // Refused before anything binds: 0.0.0.0 is never listened on.
        var line = await FailsWithOneLineAsync(Environment(certificate: "", password: ""), "--config", conf, "--cluster-host", "0.0.0.0");

        Assert.Contains("insecure is for tests on one machine", line, StringComparison.Ordinal);
        File.Delete(conf);
    }

    [Fact]
    public void Settings_printed_show_neither_the_store_password_nor_the_certificate_password()
    {
        var cluster = new ClusterSettings
        {
            Postgres = "Host=127.0.0.1;Port=5432;Username=entice;Password=store-secret-81;Database=entice",
            Tls = new ClusterTls { Password = "pfx-secret-42" },
        };

        var printed = new ServerSettings { Cluster = cluster }.ToString();

        Assert.DoesNotContain("store-secret-81", printed, StringComparison.Ordinal);
        Assert.DoesNotContain("pfx-secret-42", printed, StringComparison.Ordinal);
        Assert.Contains("Host=127.0.0.1", printed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_store_that_cannot_be_reached_fails_the_start_without_showing_its_password_even_at_debug()
    {
        const string secret = "pg-secret-7731";
        var environment = Environment(TestCertificates.ClusterPfxFile, TestCertificates.ClusterPassword);
        environment["ENTICE_POSTGRES"] = $"Host=127.0.0.1;Port={FreePort()};Username=entice;Password={secret};Database=entice;Timeout=2";

        var (code, stdout, stderr) = await ServerProcess.RunToExitAsync(TimeSpan.FromSeconds(40), environment,
            "--host", "127.0.0.1", "--port", "0", "--cluster-port", FreePort(), "--log-level", "Debug");

        Assert.Equal(2, code);
        Assert.DoesNotContain(secret, stdout + stderr, StringComparison.Ordinal);
    }

    public void Dispose() => _dirs.Dispose();

    private static Dictionary<string, string> Environment(string certificate, string? password)
    {
        var environment = new Dictionary<string, string> { [ClusterTls.CertificateVariable] = certificate, ["ENTICE_POSTGRES"] = "" };
        if (password is not null)
            environment[ClusterTls.PasswordVariable] = password;
        return environment;
    }

    // A clustering start (a free cluster port, no seeds) that must fail: the one line it prints.
    private static async Task<string> FailsWithOneLineAsync(Dictionary<string, string> environment, params string[] more)
    {
        var (code, stdout, stderr) = await ServerProcess.RunToExitAsync(Limit, environment,
            ["--host", "127.0.0.1", "--port", "0", "--cluster-port", FreePort(), .. more]);

        Assert.True(code == 2 && !stdout.Contains("Listening", StringComparison.Ordinal), $"exit {code}; stdout: {stdout}; stderr: {stderr}");
        return Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    private static string FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
