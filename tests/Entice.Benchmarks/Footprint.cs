using System.Globalization;
using Akka.Actor;
using Akka.Configuration;
using Entice.Server;
using Entice.Crypto.Identity;
using Entice.Server.Rooms;

namespace Entice.Benchmarks;

/// <summary>
/// Live managed heap per idle actor (not a BenchmarkDotNet benchmark): `-- footprint`. Explains part of the
/// server's RSS per connection: each connection is three actors (Akka.IO connection, transport, session).
/// </summary>
internal static class Footprint
{
    private sealed class Idle : ReceiveActor
    {
        public Idle() => ReceiveAny(_ => { });
    }

    private sealed class IdleUntyped : UntypedActor
    {
        protected override void OnReceive(object message) { }
    }

    public static void Run()
    {
        const int n = 5000;
        using var system = ActorSystem.Create("footprint", ConfigurationFactory.ParseString("akka.loglevel = WARNING"));
        var sink = system.ActorOf(Props.Create(() => new Idle()), "sink");
        using var keys = Entice.Crypto.Identity.IdentityKeys.Create();
        using var prekey = Entice.Crypto.Identity.SignedPrekey.Create(keys, 1);
        var bundle = Entice.Crypto.Identity.Bundles.CreateBundle(keys, prekey);
        Measure("idle ReceiveActor (one handler)", n, i => system.ActorOf(Props.Create(() => new Idle()), $"idle-{i}"));
        Measure("idle UntypedActor", n, i => system.ActorOf(Props.Create(() => new IdleUntyped()), $"untyped-{i}"));
        Measure("member actor (watches its transport)", n, i => system.ActorOf(Member.Props("lobby", new Entice.Wire.MemberInfo($"m{i}", bundle), sink), $"session-{i}"));
        system.Terminate().Wait(TimeSpan.FromSeconds(10));
    }

    private static void Measure(string what, int n, Func<int, IActorRef> create)
    {
        var refs = new IActorRef[n];
        Thread.Sleep(500);
        var before = GC.GetTotalMemory(forceFullCollection: true);
        for (var i = 0; i < n; i++)
            refs[i] = create(i);
        Thread.Sleep(1000); // actors start asynchronously
        var after = GC.GetTotalMemory(forceFullCollection: true);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{what}: {(after - before) / (double)n / 1024:F2} KiB live heap per actor ({n} actors)"));
        GC.KeepAlive(refs);
    }
}
