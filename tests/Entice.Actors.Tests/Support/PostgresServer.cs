using System.Diagnostics;
using Npgsql;

namespace Entice.Tests.Support;

/// <summary>
/// The PostgreSQL server the store's tests run against: <c>ENTICE_TEST_POSTGRES</c> (a connection string)
/// when set, as in CI; otherwise the throwaway one <c>tests/cluster/postgres.sh start</c> starts (or finds
/// running) on loopback. Started once per test run. When there is none, every test that needs it fails
/// saying why: a backend that silently goes untested is worse than a red test.
/// </summary>
internal static class PostgresServer
{
    private static readonly Lazy<string> Server = new(Find, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>A fresh, empty database of its own for one test; dropped when disposed.</summary>
    public static PostgresTestDatabase CreateDatabase() => new(Server.Value);

    private static string Find()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("ENTICE_TEST_POSTGRES");
        return string.IsNullOrWhiteSpace(fromEnvironment) ? Start() : fromEnvironment.Trim();
    }

    private static string Start()
    {
        var script = Path.Combine(RepoRoot(), "tests", "cluster", "postgres.sh");
        using var process = Process.Start(new ProcessStartInfo("bash", [script, "start"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException($"could not run {script}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        // Long enough for a first run that installs PostgreSQL.
        if (!process.WaitForExit(TimeSpan.FromMinutes(10)))
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{script} start did not finish within 10 minutes; set ENTICE_TEST_POSTGRES to a server's connection string instead");
        }
        var connectionString = stdout.Result.Trim();
        if (process.ExitCode != 0 || connectionString.Length == 0)
        {
            throw new InvalidOperationException(
                $"PostgreSQL is needed by the store's tests and could not be started: {script} start exited {process.ExitCode}. " +
                $"Fix that or set ENTICE_TEST_POSTGRES to a server's connection string. Its output:\n{stderr.Result}");
        }
        return connectionString;
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Entice.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException($"no Entice.sln above {AppContext.BaseDirectory}, so tests/cluster/postgres.sh cannot be found; set ENTICE_TEST_POSTGRES");
    }
}

/// <summary>One test's own database, so tests never see each other's rows and can run in parallel.</summary>
internal sealed class PostgresTestDatabase : IDisposable
{
    private readonly string _server;
    private readonly string _name = "entice_t_" + Guid.NewGuid().ToString("N");

    public PostgresTestDatabase(string server)
    {
        _server = server;
        try
        {
            Admin($"CREATE DATABASE {_name}");
        }
        catch (NpgsqlException e)
        {
            throw new InvalidOperationException(
                $"The PostgreSQL server for the store's tests ({server}) cannot be used: {e.Message}. " +
                "Start one with tests/cluster/postgres.sh start, or unset ENTICE_TEST_POSTGRES to let the tests start it.", e);
        }
        ConnectionString = new NpgsqlConnectionStringBuilder(server) { Database = _name }.ConnectionString;
    }

    public string ConnectionString { get; }

    // FORCE: connections a store still pools would otherwise keep the database from being dropped.
    public void Dispose() => Admin($"DROP DATABASE IF EXISTS {_name} WITH (FORCE)");

    private void Admin(string sql)
    {
        using var db = new NpgsqlConnection(_server);
        db.Open();
        using var cmd = new NpgsqlCommand(sql, db);
        cmd.ExecuteNonQuery();
    }
}
