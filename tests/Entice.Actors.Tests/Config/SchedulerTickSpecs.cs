using Akka.Actor;
using Entice.Config;

namespace Entice.Tests.Config;

/// <summary>
/// Idle CPU (issue 17): Akka's scheduler wakes every tick whether or not a timer is due. At the default 10 ms
/// that alone cost an idle server or client ~4% of a core (tests/perf/README.md, "Idle CPU"); the shipped
/// configuration ticks at most 10 times a second on the server and 2 on the client, and timers still fire.
/// </summary>
public sealed class SchedulerTickSpecs
{
    [Fact]
    public void The_shipped_server_configuration_wakes_the_scheduler_at_most_ten_times_a_second()
    {
        var tick = EnticeConfig.Server().GetTimeSpan("akka.scheduler.tick-duration");

        Assert.True(tick >= TimeSpan.FromMilliseconds(100), $"server tick {tick.TotalMilliseconds} ms");
        Assert.True(tick <= TimeSpan.FromMilliseconds(500), "the cluster's 500 ms in-flight check must still come round every tick");
    }

    [Fact]
    public void The_shipped_client_configuration_wakes_the_scheduler_at_most_twice_a_second()
    {
        var tick = EnticeConfig.Client().GetTimeSpan("akka.scheduler.tick-duration");

        Assert.True(tick >= TimeSpan.FromMilliseconds(500), $"client tick {tick.TotalMilliseconds} ms");
        Assert.True(tick <= TimeSpan.FromMilliseconds(500), "the reordering wait (500 ms) must still come round every tick");
    }

    [Theory]
    [InlineData("server")]
    [InlineData("client")]
    public async Task Timers_still_fire_on_a_system_built_from_the_shipped_configuration(string node)
    {
        var config = node == "server" ? EnticeConfig.Server() : EnticeConfig.Client();
        var system = ActorSystem.Create("tick-" + node, Akka.Configuration.ConfigurationFactory
            .ParseString("akka.loglevel = WARNING\nakka.loggers = [\"Akka.Event.DefaultLogger\"]").WithFallback(config));
        try
        {
            Assert.Equal(config.GetTimeSpan("akka.scheduler.tick-duration"), system.Settings.Config.GetTimeSpan("akka.scheduler.tick-duration"));
            var fired = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            system.Scheduler.Advanced.ScheduleOnce(TimeSpan.FromMilliseconds(20), () => fired.SetResult());
            await fired.Task.WaitAsync(TimeSpan.FromSeconds(30));
        }
        finally
        {
            await system.Terminate();
        }
    }
}
