using System.Security.Cryptography;
using Akka.Actor;
using Akka.Configuration;
using Akka.Event;
using BenchmarkDotNet.Attributes;
using Entice.Server;
using Entice.Wire;
using Envelope = Entice.Wire.Envelope;
using Entice.Crypto.Identity;
using Entice.Server.Rooms;
using Entice.Transport;

namespace Entice.Benchmarks;

/// <summary>Counts envelope frames that reach it; stands in for a client transport (no socket).</summary>
internal sealed class SinkActor : ReceiveActor
{
    public SinkActor(FanoutProbe probe, int index)
    {
        Receive<Room.Joined>(j => probe.Joined(index, j.Member));
        Receive<ClientTransport.Send>(s =>
        {
            if (s.Frame.Length > 4 && s.Frame[4] == 0x20) // Envelope tag
                probe.Delivered();
        });
    }
}

/// <summary>A logger that drops everything: measures what logging costs the room, not the sink.</summary>
internal sealed class NullLogger : ReceiveActor
{
    public NullLogger()
    {
        Receive<InitializeLogger>(_ => Sender.Tell(new LoggerInitialized()));
        ReceiveAny(_ => { });
    }
}

internal sealed class FanoutProbe
{
    private long _delivered;
    private long _target = long.MaxValue;
    private TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _joined;

    public IActorRef[] Sessions { get; }
    public TaskCompletionSource AllJoined { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public FanoutProbe(int members) => Sessions = new IActorRef[members];

    public void Joined(int index, IActorRef session)
    {
        Sessions[index] = session;
        if (Interlocked.Increment(ref _joined) == Sessions.Length)
            AllJoined.TrySetResult();
    }

    public Task Expect(long deliveries)
    {
        _done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Interlocked.Exchange(ref _delivered, 0);
        Volatile.Write(ref _target, deliveries);
        return _done.Task;
    }

    public void Delivered()
    {
        if (Interlocked.Increment(ref _delivered) == Volatile.Read(ref _target))
            _done.TrySetResult();
    }
}

/// <summary>
/// In-process room fan-out: envelopes enter through a member's Session (Publish), the Room routes them, each
/// other member's Session passes the frame to a sink actor. Akka hops and allocations only, no sockets.
/// </summary>
[MemoryDiagnoser]
public class FanoutBenchmarks
{
    private const int EnvelopesPerOp = 100;
    private ActorSystem _system = null!;
    private FanoutProbe _probe = null!;
    private Envelope _envelope = null!;

    [Params(100)]
    public int Members { get; set; }

    /// <summary>INFO is the shipped server level (one log event per routed envelope); WARNING turns that off.</summary>
    [Params("INFO", "WARNING")]
    public string LogLevel { get; set; } = "INFO";

    [GlobalSetup]
    public void Setup()
    {
        var config = ConfigurationFactory.ParseString($$"""
            akka.loglevel = {{LogLevel}}
            akka.stdout-loglevel = ERROR
            akka.loggers = ["{{typeof(NullLogger).AssemblyQualifiedName}}"]
            akka.log-dead-letters = 0
            """);
        _system = ActorSystem.Create("fanout-bench", config);
        _probe = new FanoutProbe(Members);
        var room = _system.ActorOf(Room.Props("lobby", new ServerSettings()), "room");
        using var identity = IdentityKeys.Create();
        using var prekey = SignedPrekey.Create(identity, 1);
        var bundle = Bundles.CreateBundle(identity, prekey);
        for (var i = 0; i < Members; i++)
        {
            var index = i;
            var sink = _system.ActorOf(Props.Create(() => new SinkActor(_probe, index)), $"sink-{i}");
            room.Tell(new Room.Join("lobby", new MemberInfo($"m{i}", bundle), sink));
            // Joins are sequential so that each member is announced to the ones before it, like real traffic.
            SpinWait.SpinUntil(() => _probe.Sessions[i] is not null, TimeSpan.FromSeconds(10));
        }
        if (!_probe.AllJoined.Task.Wait(TimeSpan.FromSeconds(30)))
            throw new InvalidOperationException("members did not join");
        _envelope = new Envelope("", "", "", 1, false, RandomNumberGenerator.GetBytes(256));
        Thread.Sleep(200); // announcements drain
    }

    [GlobalCleanup]
    public void Cleanup() => _system.Terminate().Wait(TimeSpan.FromSeconds(10));

    /// <summary>One envelope to a room of <see cref="Members"/> (Members - 1 deliveries); 100 per invocation, pipelined.</summary>
    [Benchmark(OperationsPerInvoke = EnvelopesPerOp)]
    public void RoomFanout()
    {
        var done = _probe.Expect((long)EnvelopesPerOp * (Members - 1));
        var sender = _probe.Sessions[0];
        for (var i = 0; i < EnvelopesPerOp; i++)
            sender.Tell(new Member.Publish(_envelope));
        if (!done.Wait(TimeSpan.FromSeconds(30)))
            throw new TimeoutException("fan-out did not complete");
    }
}
