using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using Akka.Actor;
using Entice.Client;
using Entice.Client.Keys;
using Entice.Config;
using Entice.Crypto.Storage;
using Entice.Server;

namespace Entice.Benchmarks;

/// <summary>
/// Real clients (issues 12 and 17): N client actor stacks (ClientRoot, chat, crypto with its key writer,
/// real X3DH, Double Ratchet and receipts, keys saved to disk as the program does) in one process,
/// against a real relay on loopback, one room of N. One member sends; the others show. Measures:
/// <list type="bullet">
/// <item>messages per second one sender sustains: K messages typed at once, from the first command to the
/// last display at the last member, each member having shown all K in order;</item>
/// <item>keyboard-to-screen at 10 messages per second: from the send command to each receiving view's
/// display callback, p50 and p99 over every (message, member);</item>
/// <item>for a room of 2, where that time goes, hop by hop (a proxy in front of each crypto actor stamps
/// its requests and answers; a save's fsync is timed on its own).</item>
/// </list>
/// The relay's rate limit and the client's pacing are lifted (as the load tool's comparison does), so
/// what is measured is the clients and the relay, not the limits. Whatever the clients send (one
/// envelope per member pairwise, one sender-key envelope per message since issue 12), this measures
/// it unchanged.
/// </summary>
internal static class ClientBench
{
    private sealed record Options(int[] Sizes, int Burst, int Paced, double Rate, string? Json, double ReceiptWait, int Warmup);

    public static async Task<int> RunAsync(string[] args)
    {
        if (Parse(args) is not { } o)
        {
            Console.Error.WriteLine("usage: clients [--sizes 2,10,100] [--burst K] [--paced P] [--rate 10] [--receipt-wait SECONDS] [--warmup K] [--json FILE]");
            return 2;
        }
        Console.WriteLine($"real clients: {Environment.ProcessorCount} cores, .NET {Environment.Version}, warm-up burst {o.Warmup}, burst {o.Burst}, paced {o.Paced} at {o.Rate}/s");
        var results = new List<string>();
        foreach (var n in o.Sizes)
        {
            var r = await RunRoomAsync(n, o);
            results.Add(r);
            Console.WriteLine(r);
        }
        if (o.Json is not null)
            await File.WriteAllLinesAsync(o.Json, results);
        return 0;
    }

    private static Options? Parse(string[] args)
    {
        var o = new Options([2, 10, 100], 200, 100, 10, null, 120, 0);
        for (var i = 1; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : null;
            if (value is null)
                return null;
            switch (args[i])
            {
                case "--sizes": o = o with { Sizes = [.. value.Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture))] }; break;
                case "--burst": o = o with { Burst = int.Parse(value, CultureInfo.InvariantCulture) }; break;
                case "--paced": o = o with { Paced = int.Parse(value, CultureInfo.InvariantCulture) }; break;
                case "--rate": o = o with { Rate = double.Parse(value, CultureInfo.InvariantCulture) }; break;
                case "--json": o = o with { Json = value }; break;
                case "--warmup": o = o with { Warmup = int.Parse(value, CultureInfo.InvariantCulture) }; break;
                case "--receipt-wait": o = o with { ReceiptWait = double.Parse(value, CultureInfo.InvariantCulture) }; break;
                default: return null;
            }
            i++;
        }
        return o.Sizes.All(s => s >= 2) && o.Burst > 0 && o.Paced > 0 && o.Rate > 0 && o.ReceiptWait >= 0 && o.Warmup >= 0 ? o : null;
    }

    private static async Task<string> RunRoomAsync(int n, Options o)
    {
        var root = Path.Combine(Path.GetTempPath(), "entice-clientbench-" + Guid.NewGuid().ToString("N"));
        var server = ActorSystem.Create("bench-server", Akka.Configuration.ConfigurationFactory.ParseString("akka.loglevel = WARNING")
            .WithFallback(EnticeConfig.Server()));
        var clients = ActorSystem.Create("bench-clients", Akka.Configuration.ConfigurationFactory.ParseString($$"""
            akka.loglevel = WARNING
            entice.client.key-writer-dispatcher.dedicated-thread-pool.thread-count = {{Math.Min(n, 8)}}
            """).WithFallback(EnticeConfig.Client()));
        try
        {
            var started = await RelayServer.StartAsync(server, new ServerSettings
            {
                Host = "127.0.0.1", Port = 0, DataDir = Path.Combine(root, "server"),
                EnvelopesPerSecond = 1_000_000, EnvelopeBurst = 1_000_000,
            });
            var room = new Room(n);
            // Receivers first, the sender last: its roster then holds everyone, and everyone has its keys
            // (announced before its first envelope).
            for (var i = 1; i < n; i++)
                room.Members[i] = Start(clients, started.Endpoint, $"m{i}", root, room, i);
            await room.AllReady(1, n);
            room.Members[0] = Start(clients, started.Endpoint, "m0", root, room, 0);
            await room.AllReady(0, 1);

            // Warm-up: sessions to everyone (X3DH), then steady state: a first burst, not measured, so that
            // what follows runs in optimized code (the runtime recompiles hot methods after some calls), and
            // its receipts back.
            await room.SendAndWaitAsync("warm", TimeSpan.FromMinutes(2));
            if (o.Warmup > 0)
            {
                room.Reset(o.Warmup);
                for (var k = 0; k < o.Warmup; k++)
                    room.Say(k);
                await room.AllShownAsync(TimeSpan.FromMinutes(5));
                await room.ReceiptsAsync(o.Warmup * (n - 1), TimeSpan.FromSeconds(o.ReceiptWait));
            }

            // Joining, every member fetched a prekey for every other it has no session with (the relay's
            // store hands out ~n² of them, one transaction each): the measured burst waits until the process is
            // quiet (under 10% of a core for a second), so it measures the steady state, not the joining.
            var quiet = await QuietAsync(TimeSpan.FromSeconds(120));

            // Throughput: K typed at once.
            room.Reset(o.Burst);
            room.Hops.Clear();
            var savesBefore = room.Saves;
            var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
            var t0 = Stopwatch.GetTimestamp();
            for (var k = 0; k < o.Burst; k++)
                room.Say(k);
            var burstDone = await room.AllShownAsync(TimeSpan.FromMinutes(5));
            var burstSeconds = Stopwatch.GetElapsedTime(t0, room.LastShown).TotalSeconds;
            var burstCpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalMilliseconds;
            var burstSaves = room.Saves - savesBefore;
            var perSecond = burstDone ? o.Burst / burstSeconds : 0;
            var inOrder = room.AllInOrder();
            var burstReceipts = await room.ReceiptsAsync(o.Burst * (n - 1), TimeSpan.FromSeconds(o.ReceiptWait));
            var receiptSeconds = Stopwatch.GetElapsedTime(t0).TotalSeconds;
            var burstStages = room.BurstBreakdown(t0, burstCpu, burstSaves);

            // Keyboard to screen at the given rate.
            room.Reset(o.Paced);
            room.Hops.Clear();
            var interval = TimeSpan.FromSeconds(1 / o.Rate);
            var next = Stopwatch.GetTimestamp();
            for (var k = 0; k < o.Paced; k++)
            {
                while (Stopwatch.GetTimestamp() < next)
                    await Task.Delay(1);
                room.Say(k);
                next += (long)(interval.TotalSeconds * Stopwatch.Frequency);
            }
            var pacedDone = await room.AllShownAsync(TimeSpan.FromMinutes(2));
            var latencies = room.Latencies();
            var pacedReceipts = await room.ReceiptsAsync(o.Paced * (n - 1), TimeSpan.FromMinutes(1));
            var line = string.Create(CultureInfo.InvariantCulture,
                $"room {n}: sustained {perSecond:F0} msg/s ({o.Burst} in {burstSeconds:F2} s, {(burstDone && inOrder ? "all in order" : "NOT all shown in order")}); " +
                $"keyboard-to-screen at {o.Rate}/s: p50 {Pct(latencies, 50):F2} ms, p99 {Pct(latencies, 99):F2} ms, max {latencies.LastOrDefault():F2} ms " +
                $"({latencies.Count} displays{(pacedDone ? "" : ", SOME MISSING")}); receipts: burst {burstReceipts}/{o.Burst * (n - 1)} (all back {receiptSeconds:F2} s after the first command), paced {pacedReceipts}/{o.Paced * (n - 1)}");
            line += string.Create(CultureInfo.InvariantCulture, $"{Environment.NewLine}  (the process was quiet {quiet.TotalSeconds:F0} s after the warm-up){Environment.NewLine}") + burstStages;
            if (n == 2)
                line += Environment.NewLine + room.Breakdown(FileWriteMs(root, flush: true), FileWriteMs(root, flush: false));
            return line;
        }
        finally
        {
            await clients.Terminate();
            await server.Terminate();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(root, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    // Until the process uses under 10% of a core over one second, or the limit; how long that took.
    private static async Task<TimeSpan> QuietAsync(TimeSpan limit)
    {
        var start = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(start) < limit)
        {
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            await Task.Delay(1000);
            if ((Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds < 100)
                break;
        }
        return Stopwatch.GetElapsedTime(start);
    }

    private static double Pct(List<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p / 100 * sorted.Count) - 1)];

    // What one save's write costs here: a file of a session book's size written, flushed to disk (or
    // not: then it survives a crash of the process but not of the machine), renamed.
    private static double FileWriteMs(string root, bool flush)
    {
        var samples = new List<double>();
        var data = new byte[4096];
        for (var i = 0; i < 50; i++)
        {
            var t = Stopwatch.GetTimestamp();
            var temp = Path.Combine(root, "fsync.tmp");
            using (var f = new FileStream(temp, FileMode.Create, FileAccess.Write))
            {
                f.Write(data);
                f.Flush(flushToDisk: flush);
            }
            File.Move(temp, Path.Combine(root, "fsync.bin"), overwrite: true);
            samples.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
        }
        samples.Sort();
        return samples[samples.Count / 2];
    }

    private static IActorRef Start(ActorSystem system, IPEndPoint server, string name, string root, Room room, int index)
    {
        var settings = ClientSettings.FromConfig(system.Settings.Config, name) with
        {
            Name = name,
            Room = "bench",
            Servers = [new DnsEndPoint("127.0.0.1", server.Port)],
            PacingPerSecond = 1_000_000,
            PacingBurst = 1_000_000,
        };
        var keys = new KeyDirectory(Path.Combine(root, name));
        var options = new CryptoAgent.Options { MaxSkip = 1000, BeforeKeyWrite = room.Saved };
        var crypto = Props.Create(() => new CryptoProxy(CryptoAgent.Props(name, keys, options), room.Hops, index));
        var view = Props.Create(() => new BenchView(room, index));
        return system.ActorOf(ClientRoot.Props(settings, crypto, view, new TaskCompletionSource<int>()), "client-" + name);
    }

    /// <summary>What every member showed, when, and the hop stamps.</summary>
    private sealed class Room(int n)
    {
        private readonly TaskCompletionSource[] _ready = [.. Enumerable.Range(0, n).Select(_ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously))];
        private long[] _sentAt = [];
        private List<(int Index, long At)>[] _shown = [];
        private int _remaining;
        private TaskCompletionSource _allShown = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _delivered;

        public IActorRef[] Members { get; } = new IActorRef[n];

        public ConcurrentQueue<(int Member, string Kind, long At)> Hops { get; } = new();

        public long LastShown { get; private set; }

        public int Delivered => Volatile.Read(ref _delivered);

        private int _saves;

        /// <summary>Key writes (sessions.bin, senderkeys.bin) started, all members together.</summary>
        public int Saves => Volatile.Read(ref _saves);

        public void Saved() => Interlocked.Increment(ref _saves);

        public void Ready(int member) => _ready[member].TrySetResult();

        public Task AllReady(int from, int to) => Task.WhenAll(_ready[from..to].Select(r => r.Task)).WaitAsync(TimeSpan.FromMinutes(3));

        public void Reset(int messages)
        {
            _sentAt = new long[messages];
            _shown = [.. Enumerable.Range(0, n).Select(_ => new List<(int, long)>(messages))];
            _remaining = messages * (n - 1);
            _allShown = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Interlocked.Exchange(ref _delivered, 0);
        }

        public void Say(int k)
        {
            _sentAt[k] = Stopwatch.GetTimestamp();
            Members[0].Tell(new ChatClient.Command(new UserCommand.Say("b" + k.ToString(CultureInfo.InvariantCulture))));
        }

        public async Task SendAndWaitAsync(string text, TimeSpan limit)
        {
            Reset(1);
            _sentAt[0] = Stopwatch.GetTimestamp();
            Members[0].Tell(new ChatClient.Command(new UserCommand.Say(text)));
            await AllShownAsync(limit);
        }

        public async Task<bool> AllShownAsync(TimeSpan limit)
        {
            try
            {
                await _allShown.Task.WaitAsync(limit);
                return true;
            }
            catch (TimeoutException)
            {
                return false;
            }
        }

        // On each member's view actor (one thread at a time per member).
        public void Shown(int member, MessageEvent m)
        {
            var now = Stopwatch.GetTimestamp();
            var index = m.Text.StartsWith('b') && int.TryParse(m.Text.AsSpan(1), CultureInfo.InvariantCulture, out var k) ? k : 0;
            Hops.Enqueue((member, "view", now));
            lock (_shown[member])
                _shown[member].Add((index, now));
            if (Interlocked.Decrement(ref _remaining) == 0)
            {
                LastShown = now;
                _allShown.TrySetResult();
            }
        }

        public void Receipt() => Interlocked.Increment(ref _delivered);

        // Receipts (DeliveredEvent at the sender) for this phase, waiting up to the limit for all of them.
        public async Task<int> ReceiptsAsync(int expected, TimeSpan limit)
        {
            var until = Stopwatch.GetTimestamp() + (long)(limit.TotalSeconds * Stopwatch.Frequency);
            while (Delivered < expected && Stopwatch.GetTimestamp() < until)
                await Task.Delay(20);
            return Delivered;
        }

        public bool AllInOrder() => _shown.Skip(1).All(s => s.Select(x => x.Index).SequenceEqual(Enumerable.Range(0, _sentAt.Length)));

        public List<double> Latencies()
        {
            var all = _shown.Skip(1).SelectMany(s => s.Where(x => x.Index < _sentAt.Length)
                .Select(x => Stopwatch.GetElapsedTime(_sentAt[x.Index], x.At).TotalMilliseconds)).ToList();
            all.Sort();
            return all;
        }

        // Room of 2, paced: per message, the first stamp of each kind after the command, sender then receiver.
        public string Breakdown(double fsyncMs, double writeMs)
        {
            var hops = Hops.ToArray();
            var stages = new List<double[]>();
            foreach (var sent in _sentAt)
            {
                long First(int member, string kind, long after) =>
                    hops.Where(h => h.Member == member && h.Kind == kind && h.At >= after).Select(h => h.At).DefaultIfEmpty(-1).Min();
                var encIn = First(0, "Encrypt>", sent);
                var encOut = First(0, "<Encrypted", encIn);
                var decIn = First(1, "Decrypt>", encOut);
                var decOut = First(1, "<Decrypted", decIn);
                var view = First(1, "view", decOut);
                if (encIn < 0 || encOut < 0 || decIn < 0 || decOut < 0 || view < 0)
                    continue;
                stages.Add([Ms(sent, encIn), Ms(encIn, encOut), Ms(encOut, decIn), Ms(decIn, decOut), Ms(decOut, view), Ms(sent, view)]);
            }
            string[] names =
            [
                "command -> sender's crypto (root, chat, CommandRunner, Outgoing)",
                "sender's crypto: encrypt + session save before the answer",
                "answer -> chat -> connection -> relay -> connection -> chat -> receiver's crypto",
                "receiver's crypto: decrypt (a live message: answered before its key-file write, its receipt after)",
                "answer -> chat (Inbox, Screen) -> root -> view",
                "total",
            ];
            var lines = new List<string> { string.Create(CultureInfo.InvariantCulture, $"  where the time goes, room of 2 ({stages.Count} messages), p50 / p99 ms; one 4 KiB file write + rename here, p50: {fsyncMs:F2} ms flushed to disk, {writeMs:F2} ms not") };
            for (var s = 0; s < names.Length; s++)
            {
                var column = stages.Select(x => x[s]).Order().ToList();
                lines.Add(string.Create(CultureInfo.InvariantCulture, $"    {Pct(column, 50),7:F2} / {Pct(column, 99),7:F2}  {names[s]}"));
            }
            return string.Join(Environment.NewLine, lines);
        }

        // The burst, hop by hop: the k-th request and answer at each member's crypto actor is the k-th message
        // (the sender encrypts nothing else; a receiver decrypts nothing else; answers keep their order).
        // Per (message, receiver) percentiles, and when the last of each stage happened after the first command.
        public string BurstBreakdown(long t0, double cpuMs, int saves)
        {
            var hops = Hops.ToArray();
            long[] Of(int member, string kind) => [.. hops.Where(h => h.Member == member && h.Kind == kind).Select(h => h.At).Order()];
            var encIn = Of(0, "Encrypt>");
            var encOut = Of(0, "<Encrypted");
            var receiptsRead = Of(0, "Decrypt>").Length; // the sender decrypts nothing but receipts
            var stages = Enumerable.Range(0, 4).Select(_ => new List<double>()).ToArray();
            long lastDecIn = 0, lastDecOut = 0;
            for (var m = 1; m < n; m++)
            {
                var decIn = Of(m, "Decrypt>");
                var decOut = Of(m, "<Decrypted");
                var view = Of(m, "view");
                var count = new[] { _sentAt.Length, encIn.Length, encOut.Length, decIn.Length, decOut.Length, view.Length }.Min();
                for (var k = 0; k < count; k++)
                {
                    stages[0].Add(Ms(encIn[k], encOut[k]));
                    stages[1].Add(Ms(encOut[k], decIn[k]));
                    stages[2].Add(Ms(decIn[k], decOut[k]));
                    stages[3].Add(Ms(decOut[k], view[k]));
                }
                if (decIn.Length > 0)
                    lastDecIn = Math.Max(lastDecIn, decIn[^1]);
                if (decOut.Length > 0)
                    lastDecOut = Math.Max(lastDecOut, decOut[^1]);
            }
            string[] names =
            [
                "sender's crypto: request in -> Encrypted out (queue, encrypt + sign, save)",
                "sender's Encrypted -> receiver's crypto request (chat, connection, relay fan-out, connection, chat)",
                "receiver's crypto: request in -> Decrypted out (queue, verify + decrypt; live: before the save)",
                "receiver's Decrypted -> view (chat: Inbox, Screen, receipt; root; view)",
            ];
            var lines = new List<string>
            {
                string.Create(CultureInfo.InvariantCulture,
                    $"  burst, room of {n}: process CPU {cpuMs:F0} ms ({cpuMs / _sentAt.Length:F2} ms per message, {cpuMs / Math.Max(1, _sentAt.Length * (n - 1)):F3} ms per display), {saves} key writes, {receiptsRead} receipt envelopes read by the sender; " +
                    $"last after the first command: encrypted {(encOut.Length > 0 ? Ms(t0, encOut[^1]) : double.NaN):F0} ms, at the last receiver's crypto {Ms(t0, lastDecIn):F0} ms, decrypted {Ms(t0, lastDecOut):F0} ms, shown {Ms(t0, LastShown):F0} ms"),
                "    per (message, receiver), p50 / p99 ms:",
            };
            for (var s = 0; s < names.Length; s++)
            {
                var column = stages[s].Order().ToList();
                lines.Add(string.Create(CultureInfo.InvariantCulture, $"    {Pct(column, 50),8:F2} / {Pct(column, 99),8:F2}  {names[s]}"));
            }
            return string.Join(Environment.NewLine, lines);
        }

        private static double Ms(long from, long to) => Stopwatch.GetElapsedTime(from, to).TotalMilliseconds;
    }

    /// <summary>Stands for a member's view: notes what is shown, when.</summary>
    private sealed class BenchView : ReceiveActor
    {
        public BenchView(Room room, int index)
        {
            Receive<ReadyEvent>(_ => room.Ready(index));
            Receive<MessageEvent>(m => room.Shown(index, m));
            Receive<DeliveredEvent>(_ => room.Receipt());
            ReceiveAny(_ => { });
        }
    }

    /// <summary>
    /// In front of a member's crypto actor: stamps each request from the chat actor and each answer, and
    /// passes them on (one extra local hop each way, counted in the hops around it).
    /// </summary>
    private sealed class CryptoProxy : ReceiveActor
    {
        private readonly IActorRef _crypto;
        private IActorRef _chat = ActorRefs.Nobody;

        public CryptoProxy(Props crypto, ConcurrentQueue<(int, string, long)> hops, int member)
        {
            _crypto = Context.ActorOf(crypto, "crypto");
            ReceiveAny(m =>
            {
                var now = Stopwatch.GetTimestamp();
                if (Sender.Equals(_crypto))
                {
                    if (m is CryptoAgent.Encrypted or CryptoAgent.Decrypted)
                        hops.Enqueue((member, "<" + m.GetType().Name, now));
                    _chat.Tell(m);
                }
                else if (m is CryptoAgent.Encrypt or CryptoAgent.EncryptRoom or CryptoAgent.Decrypt)
                {
                    _chat = Sender; // the chat actor: answers to these come back here
                    hops.Enqueue((member, m is CryptoAgent.Decrypt ? "Decrypt>" : "Encrypt>", now));
                    _crypto.Tell(m, Self);
                }
                else
                {
                    _crypto.Forward(m);
                }
            });
        }
    }
}
