using System.Text.Json;
using Entice.Logging;
using Entice.Tests.Support;
using Serilog.Events;

namespace Entice.Tests.Config;

/// <summary>
/// Light load (issue 17, tests/perf/README.md "Light load"): idle .NET thread-pool workers spun (sched_yield)
/// before sleeping after every small burst, half of a relay's CPU at 1,000 envelopes/s. The shipped
/// programs tell the runtime not to spin, in their runtimeconfig (no environment variable needed), and
/// --log-level reaches Akka, so a node pays only for the lines it shows.
/// </summary>
public sealed class LightLoadSpecs
{
    [Theory]
    [InlineData("Entice.ServerNode")]
    [InlineData("Entice.ClientNode")]
    public void The_built_program_tells_the_runtime_that_idle_pool_workers_sleep_without_spinning(string program)
    {
        var file = Path.Combine(ServerProcess.RepoRoot(), program, "bin", ServerProcess.BuildConfiguration(), "net10.0", program + ".runtimeconfig.json");
        using var json = JsonDocument.Parse(File.ReadAllText(file));

        var properties = json.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");

        Assert.Equal(0, properties.GetProperty("System.Threading.ThreadPool.UnfairSemaphoreSpinLimit").GetInt32());
    }

    [Fact]
    public void The_built_client_compiles_each_method_once_optimised_so_the_first_minutes_of_a_chat_are_not_slower()
    {
        var file = Path.Combine(ServerProcess.RepoRoot(), "Entice.ClientNode", "bin", ServerProcess.BuildConfiguration(), "net10.0", "Entice.ClientNode.runtimeconfig.json");
        using var json = JsonDocument.Parse(File.ReadAllText(file));

        var properties = json.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");

        Assert.False(properties.GetProperty("System.Runtime.TieredCompilation").GetBoolean());
    }

    [Theory]
    [InlineData(LogEventLevel.Verbose, "DEBUG")]
    [InlineData(LogEventLevel.Debug, "DEBUG")]
    [InlineData(LogEventLevel.Information, "INFO")]
    [InlineData(LogEventLevel.Warning, "WARNING")]
    [InlineData(LogEventLevel.Error, "ERROR")]
    public void A_log_level_maps_to_the_Akka_level_that_emits_exactly_those_lines(LogEventLevel level, string akka) =>
        Assert.Equal(akka, EnticeLogging.AkkaLevel(level));
}
