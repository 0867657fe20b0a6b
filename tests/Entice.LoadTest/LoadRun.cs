using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Entice.Channels;

namespace Entice.LoadTest;

internal sealed class LoadSettings
{
    /// <summary>Connection i goes to Servers[i % Count]: one relay, or the nodes of a cluster.</summary>
    public required IReadOnlyList<IPEndPoint> Servers { get; init; }
    /// <summary>The key fingerprint required of Servers[i] (from HOST:PORT@FP), or null: whatever key it presents.</summary>
    public required IReadOnlyList<ServerFingerprint?> Keys { get; init; }
    /// <summary>The channel's settings (Entice only), or null: plaintext frames (a server with channel.enabled = off).</summary>
    public ChannelSettings? Channel { get; init; }
    /// <summary>Only connect (and the channel handshake), wait for the server's first message, close: connects/s.</summary>
    public bool ConnectOnly { get; init; }
    public required string Target { get; init; }
    public int Connections { get; init; }
    public int Senders { get; set; }
    public int Rooms { get; set; }
    public int Messages { get; init; }
    public int Bytes { get; init; }
    public int Window { get; init; }
    public double Rate { get; init; }
    public TimeSpan Duration { get; init; }
    public TimeSpan Drain { get; init; }
    public int? ServerPid { get; init; }
    public bool Idle { get; init; }
    public TimeSpan IdleSettle { get; init; }
    public int HandshakeParallelism { get; init; }
    public string? Label { get; init; }
}

/// <summary>One run: connect and handshake everyone, then the idle measurement or the send/receive workload.</summary>
internal sealed class LoadRun(LoadSettings s)
{
    private readonly string _runId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(2));
    private readonly Report _report = new();
    private long _deadlineTicks = long.MaxValue;
    private int _connected;
    private string? _presented;

    private string RoomName(int r) => s.Target == "irc" ? $"#b{_runId}{r}" : $"bench-{_runId}-{r}";

    private LoadConn NewConn(int i)
    {
        var room = i % s.Rooms;
        var buffer = s.Idle ? 4096 : 64 * 1024;
        return s.Target == "irc"
            ? new IrcConn(i, room, $"l{_runId}{i}", buffer)
            : new EnticeConn(i, room, $"lt-{_runId}-{i}", buffer);
    }

    public async Task<Report> RunAsync(CancellationToken cancel)
    {
        var r = _report;
        r["label"] = s.Label;
        r["target"] = s.Target;
        r["mode"] = s.Idle ? "idle" : s.Rate > 0 ? "paced" : "full-speed";
        r["channel"] = s.Target == "irc" ? null : s.Channel is null ? "off (plaintext)" : "on";
        r["suite"] = s.Target == "irc" || s.Channel is null ? null : ChannelSuites.ConfigName(s.Channel.ClientSuite);
        r["connections"] = s.Connections;
        r["rooms"] = s.Rooms;
        var pid = s.ServerPid;
        var rssBefore = pid is int p0 ? ProcStats.StatusKiB(p0, "VmRSS") : null;
        r["server_rss_before_kib"] = rssBefore;

        var conns = new LoadConn?[s.Connections];
        var failures = 0;
        string? firstError = null;
        var hsWatch = Stopwatch.StartNew();
        using (var hsCts = CancellationTokenSource.CreateLinkedTokenSource(cancel))
        {
            hsCts.CancelAfter(s.Idle ? TimeSpan.FromMinutes(3) : TimeSpan.FromMinutes(1));
            try
            {
                await Parallel.ForEachAsync(Enumerable.Range(0, s.Connections),
                    new ParallelOptions { MaxDegreeOfParallelism = s.HandshakeParallelism, CancellationToken = hsCts.Token },
                    async (i, ct) =>
                    {
                        var c = NewConn(i);
                        try
                        {
                            await c.ConnectAsync(s.Servers[i % s.Servers.Count], ct);
                            if (s.Channel is not null && s.Target == "entice")
                                await c.OpenChannelAsync(s.Channel, s.Keys[i % s.Keys.Count], ct);
                            if (s.ConnectOnly)
                            {
                                // The server's first message (its ServerHello, sealed when the channel is on) shows it finished its side.
                                await c.AwaitFirstMessageAsync(ct);
                                if (c.Link is not null)
                                    Interlocked.CompareExchange(ref _presented, c.Link.Presented.ToString(), null);
                                Interlocked.Increment(ref _connected);
                                c.Dispose();
                                return;
                            }
                            await c.HandshakeAsync(RoomName(c.Room), ct);
                            if (c.Link is not null)
                                Interlocked.CompareExchange(ref _presented, c.Link.Presented.ToString(), null);
                            conns[i] = c;
                        }
                        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException)
                        {
                            Interlocked.Increment(ref failures);
                            Interlocked.CompareExchange(ref firstError, e.Message, null);
                            c.Dispose();
                        }
                    });
            }
            catch (OperationCanceledException)
            {
                firstError ??= "handshake phase timed out";
            }
        }
        hsWatch.Stop();
        if (_presented is not null)
            r["server_key"] = _presented;
        if (s.ConnectOnly)
        {
            r["connected"] = _connected;
            r["connect_failures"] = s.Connections - _connected;
            r["connects_per_s"] = Round(_connected / hsWatch.Elapsed.TotalSeconds, 0);
            r["connect_parallelism"] = s.HandshakeParallelism;
            if (firstError is not null)
                r["first_error"] = firstError;
            r.Ok = _connected == s.Connections;
            return r;
        }
        var established = conns.Count(c => c is not null);
        r["established"] = established;
        r["handshake_failures"] = s.Connections - established;
        r["handshakes_per_s"] = Round(established / hsWatch.Elapsed.TotalSeconds, 0);
        if (firstError is not null)
            r["first_error"] = firstError;

        using var runCts = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        var live = conns.Where(c => c is not null).Select(c => c!).ToArray();
        try
        {
            if (s.Idle)
            {
                var loops = live.Select(c => c.ReceiveLoopAsync(runCts.Token)).ToArray();
                await Task.Delay(s.IdleSettle, cancel);
                if (pid is int p1)
                {
                    var after = ProcStats.StatusKiB(p1, "VmRSS");
                    r["server_rss_after_kib"] = after;
                    r["server_rss_hwm_kib"] = ProcStats.StatusKiB(p1, "VmHWM");
                    if (after is long a && rssBefore is long b && established > 0)
                        r["server_rss_per_connection_kib"] = Round((a - b) / (double)established, 2);
                }
                r["loadtool_rss_kib"] = ProcStats.StatusKiB(Environment.ProcessId, "VmRSS");
                r.Ok = established == s.Connections;
                await runCts.CancelAsync();
                foreach (var c in live)
                    c.Dispose();
                await Task.WhenAny(Task.WhenAll(loops), Task.Delay(5000, CancellationToken.None));
                return r;
            }

            if (established != s.Connections)
            {
                r.Ok = false;
                return r;
            }
            await RunWorkloadAsync(live, runCts);
        }
        finally
        {
            foreach (var c in live)
                c.Dispose();
        }
        return r;
    }

    private async Task RunWorkloadAsync(LoadConn[] conns, CancellationTokenSource runCts)
    {
        var r = _report;
        r["senders"] = s.Senders;
        r["messages_per_sender"] = s.Messages;
        r["bytes"] = s.Bytes;
        r["window"] = s.Rate > 0 ? null : s.Window;
        r["rate"] = s.Rate > 0 ? s.Rate : null;

        foreach (var c in conns)
            c.PrepareForLoad(s.Senders);
        var byRoom = conns.GroupBy(c => c.Room).ToDictionary(g => g.Key, g => g.ToArray());
        var senders = new List<(SenderState State, LoadConn Conn, byte[] Template)>();
        for (var k = 0; k < s.Senders; k++)
        {
            var conn = conns[k];
            var members = byRoom[conn.Room];
            var st = new SenderState(k, conn.Room)
            {
                RoomMembers = members.Where(m => m != conn).ToArray(),
            };
            // The window is counted at the member that joined last (the last written to by a fan-out loop).
            st.Tracker = st.RoomMembers.Length > 0 ? st.RoomMembers[^1] : conn;
            st.Tracker.Tracks.Add(st);
            conn.Sender = st;
            senders.Add((st, conn, conn.BuildTemplate(RoomName(conn.Room), s.Bytes)));
        }

        var loops = conns.Select(c => c.ReceiveLoopAsync(runCts.Token)).ToArray();
        await Task.Delay(500); // member announcements settle before the clock starts

        var pid = s.ServerPid;
        using var sampler = pid is int p ? new RssSampler(p) : null;
        var serverCpu0 = pid is int p2 ? ProcStats.CpuSeconds(p2) : null;
        var selfCpu0 = ProcStats.CpuSeconds(Environment.ProcessId);
        var machine0 = ProcStats.MachineBusySeconds();
        var gc0 = GC.CollectionCount(0);
        var alloc0 = GC.GetTotalAllocatedBytes();
        var t0 = Stopwatch.GetTimestamp();
        _deadlineTicks = t0 + (long)(s.Duration.TotalSeconds * Stopwatch.Frequency);
        using var deadline = new Timer(_ =>
        {
            foreach (var x in senders)
                x.State.Signal.Set();
        }, null, s.Duration, Timeout.InfiniteTimeSpan);

        if (s.Rate > 0)
            await Task.Factory.StartNew(() => PacedLoop(senders), TaskCreationOptions.LongRunning);
        else
            await Task.WhenAll(senders.Select(x => Task.Run(() => SenderLoopAsync(x.State, x.Conn, x.Template, runCts.Token))));

        var sentTotal = senders.Sum(x => x.State.Sent);
        var expected = senders.Sum(x => x.State.Sent * x.State.RoomMembers.Length);
        var drainUntil = Stopwatch.GetTimestamp() + (long)(s.Drain.TotalSeconds * Stopwatch.Frequency);
        long received;
        while ((received = conns.Sum(c => Volatile.Read(ref c.Received))) < expected && Stopwatch.GetTimestamp() < drainUntil
               && !conns.Any(c => c.Failed))
            await Task.Delay(5);
        var tEnd = Stopwatch.GetTimestamp();
        var serverCpu1 = pid is int p3 ? ProcStats.CpuSeconds(p3) : null;
        var selfCpu1 = ProcStats.CpuSeconds(Environment.ProcessId);
        var machine1 = ProcStats.MachineBusySeconds();
        var wall = (tEnd - t0) / (double)Stopwatch.Frequency;

        await runCts.CancelAsync();
        foreach (var c in conns)
            c.Dispose();
        await Task.WhenAny(Task.WhenAll(loops), Task.Delay(5000, CancellationToken.None));

        var lastReceive = conns.Max(c => c.LastReceiveTicks);
        var lastSend = senders.Max(x => x.State.LastSendTicks);
        var recvSeconds = Math.Max(1e-9, (Math.Max(lastReceive, t0) - t0) / (double)Stopwatch.Frequency);
        var sendSeconds = Math.Max(1e-9, (Math.Max(lastSend, t0) - t0) / (double)Stopwatch.Frequency);
        var hist = new Histogram();
        foreach (var c in conns)
            hist.Add(c.Latency!);

        r["sent"] = sentTotal;
        r["expected"] = expected;
        r["received"] = received;
        r["lost"] = expected - received;
        r["seconds"] = Round(recvSeconds, 3);
        r["sent_per_s"] = Round(sentTotal / sendSeconds, 0);
        r["deliveries_per_s"] = Round(received / recvSeconds, 0);
        r["latency_p50_ms"] = Round(hist.Quantile(0.50) / 1e6, 3);
        r["latency_p90_ms"] = Round(hist.Quantile(0.90) / 1e6, 3);
        r["latency_p99_ms"] = Round(hist.Quantile(0.99) / 1e6, 3);
        r["latency_max_ms"] = Round(hist.Max / 1e6, 3);
        if (serverCpu0 is double a0 && serverCpu1 is double a1)
        {
            r["server_cpu_percent"] = Round(100 * (a1 - a0) / wall, 1);
            // Server CPU time per delivery: what a delivery costs whatever share of the cores the neighbours left it.
            r["server_cpu_us_per_delivery"] = received > 0 ? Round(1e6 * (a1 - a0) / received, 3) : null;
        }
        if (sampler is not null)
            r["server_rss_peak_kib"] = sampler.PeakKiB;
        if (selfCpu0 is double b0 && selfCpu1 is double b1)
            r["loadtool_cpu_percent"] = Round(100 * (b1 - b0) / wall, 1);
        // Everything else the machine ran meanwhile (other processes, kernel softirq): a noisy neighbour shows here.
        if (machine0 is double m0 && machine1 is double m1 && selfCpu0 is double c0 && selfCpu1 is double c1)
        {
            var serverShare = serverCpu0 is double d0 && serverCpu1 is double d1 ? d1 - d0 : 0;
            r["other_cpu_percent"] = Round(100 * ((m1 - m0) - (c1 - c0) - serverShare) / wall, 1);
        }
        r["loadtool_gc0"] = GC.CollectionCount(0) - gc0;
        r["loadtool_alloc_bytes_per_delivery"] = received > 0 ? Round((GC.GetTotalAllocatedBytes() - alloc0) / (double)received, 2) : null;
        var wireIn = conns.Sum(c => c.WireBytesIn);
        var frameIn = conns.Sum(c => c.FrameBytesIn);
        if (wireIn > 0 && frameIn > 0)
        {
            // What the channel adds on the wire to the frames it carries (record headers, tags, padding to the buckets).
            r["channel_wire_bytes_per_frame_byte"] = Round(wireIn / (double)frameIn, 3);
            r["channel_wire_bytes_per_delivery"] = received > 0 ? Round(wireIn / (double)received, 1) : null;
        }
        var failed = conns.Count(c => c.Failed);
        r["failed_connections"] = failed;
        var err = conns.FirstOrDefault(c => c.Error is not null)?.Error;
        if (err is not null)
            r["first_error"] = err;
        r.Ok = failed == 0 && expected - received == 0;
    }

    private bool PastDeadline => Stopwatch.GetTimestamp() > _deadlineTicks;

    private async Task SenderLoopAsync(SenderState st, LoadConn conn, byte[] template, CancellationToken ct)
    {
        var buffer = new byte[template.Length * s.Window];
        var members = st.RoomMembers;
        var counts = st.Tracker.ReceivedFrom;
        var n = st.Number;
        try
        {
            while (st.Sent < s.Messages && !PastDeadline)
            {
                var acked = Volatile.Read(ref counts[n]);
                var allowed = (int)Math.Min(s.Window - (st.Sent - acked), s.Messages - st.Sent);
                if (allowed <= 0)
                {
                    await st.Signal.WaitAsync();
                    continue;
                }
                // Guard against a member far slower than the tracker (bounded queues on the relay).
                var slowest = long.MaxValue;
                foreach (var m in members)
                    slowest = Math.Min(slowest, Volatile.Read(ref m.ReceivedFrom[n]));
                if (members.Length > 0 && st.Sent - slowest > 4L * s.Window)
                {
                    await Task.Delay(1, ct);
                    continue;
                }
                var ticks = Stopwatch.GetTimestamp();
                var length = 0;
                for (var i = 0; i < allowed; i++)
                    length += conn.WriteMessage(buffer.AsSpan(length), template, ticks, (ushort)n, st.Sent + i);
                await conn.SendBatchAsync(buffer.AsMemory(0, length), ct);
                st.Sent += allowed;
                st.LastSendTicks = ticks;
            }
        }
        catch (Exception e) when (e is OperationCanceledException or System.Net.Sockets.SocketException or ObjectDisposedException)
        {
        }
    }

    // One thread paces every sender: each at rate/S, staggered; blocking sends of one message.
    private void PacedLoop(List<(SenderState State, LoadConn Conn, byte[] Template)> senders)
    {
        var freq = Stopwatch.Frequency;
        var interval = (long)(freq * senders.Count / s.Rate);
        var start = Stopwatch.GetTimestamp();
        var next = senders.Select((_, k) => start + interval * k / senders.Count).ToArray();
        var buffer = new byte[senders.Max(x => x.Template.Length)];
        try
        {
            while (!PastDeadline)
            {
                var any = false;
                var now = Stopwatch.GetTimestamp();
                for (var k = 0; k < senders.Count; k++)
                {
                    var (st, conn, template) = senders[k];
                    if (st.Sent >= s.Messages)
                        continue;
                    any = true;
                    if (now - next[k] > freq / 10)
                        next[k] = now; // fell far behind (a stall): do not burst to catch up
                    while (next[k] <= now && st.Sent < s.Messages)
                    {
                        var ticks = Stopwatch.GetTimestamp();
                        var length = conn.WriteMessage(buffer, template, ticks, (ushort)st.Number, st.Sent);
                        conn.SendBlocking(buffer.AsSpan(0, length));
                        st.Sent++;
                        st.LastSendTicks = ticks;
                        next[k] += interval;
                    }
                }
                if (!any)
                    return;
                var wait = next.Min() - Stopwatch.GetTimestamp();
                // Sleep, never spin: a spinning load tool would steal one of the two cores from the relay.
                // Late sends do not bias latency (the stamp is taken at the real send time).
                if (wait > 0)
                    Thread.Sleep(Math.Max(1, (int)(wait * 1000 / freq)));
            }
        }
        catch (Exception e) when (e is System.Net.Sockets.SocketException or ObjectDisposedException)
        {
        }
    }

    private static double Round(double v, int digits) => Math.Round(v, digits);
}

internal sealed class Report
{
    private readonly List<KeyValuePair<string, object?>> _fields = [];

    public bool Ok { get; set; } = true;

    public object? this[string key]
    {
        set
        {
            _fields.RemoveAll(f => f.Key == key);
            _fields.Add(new(key, value));
        }
    }

    public string ToJson()
    {
        var d = new Dictionary<string, object?>();
        foreach (var (k, v) in _fields)
            d[k] = v;
        d["ok"] = Ok;
        return JsonSerializer.Serialize(d);
    }

    public string ToText()
    {
        var sb = new StringBuilder();
        foreach (var (k, v) in _fields)
        {
            if (v is null)
                continue;
            sb.Append(CultureInfo.InvariantCulture, $"{k,-36} {Convert.ToString(v, CultureInfo.InvariantCulture)}\n");
        }
        sb.Append(CultureInfo.InvariantCulture, $"{"ok",-36} {Ok}");
        return sb.ToString();
    }
}
