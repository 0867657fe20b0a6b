using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Akka.Actor;
using Akka.Configuration;
using Entice.Client;
using Entice.Wire;
using NSec.Cryptography;
using Entice.Client.Keys;
using Entice.Crypto.Identity;
using Entice.Crypto.Primitives;
using Entice.Crypto.Storage;

namespace Entice.Benchmarks;

/// <summary>
/// Issue 10, attack 3, measured (not a BenchmarkDotNet benchmark): `-- flood`. A victim's crypto actor gets
/// 1,000 forged session-starting envelopes from one member (half at N = 1,000, half at N = 0), then a genuine
/// message from another member. Prints the victim's CPU time for the whole flood and how long the genuine
/// message waited, with today's defaults and with the throttle and the session-start limit off (so the
/// cost of one forged header shows); and the chain step with and without a per-step NSec key import.
/// </summary>
internal static class Flood
{
    private const int Forged = 1000;

    public static void Run()
    {
        ChainStepCost();
        Measure("defaults (session-start limit 32, throttle after 5 failures)", new CryptoAgent.Options());
        Measure("throttle off, session-start limit 250 (the per-peer skip cap)", new CryptoAgent.Options { ThrottleAfter = int.MaxValue, MaxSkipNewSession = 1000 });
    }

    private static void ChainStepCost()
    {
        const int steps = 20_000;
        var chain = RandomNumberGenerator.GetBytes(32);
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < steps; i++)
        {
            using var key = Key.Import(MacAlgorithm.HmacSha256, chain, KeyBlobFormat.RawSymmetricKey);
            _ = MacAlgorithm.HmacSha256.Mac(key, [0x01]);
            chain = MacAlgorithm.HmacSha256.Mac(key, [0x02]);
        }
        var imported = watch.Elapsed.TotalMicroseconds / steps;
        watch.Restart();
        for (var i = 0; i < steps; i++)
        {
            var (messageKey, next) = Kdf.ChainStep(chain);
            chain = next;
            _ = messageKey;
        }
        var now = watch.Elapsed.TotalMicroseconds / steps;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"chain step: {imported:F2} us with a NSec key import per HMAC (before), {now:F2} us now (HMAC on NSec SHA-256)"));
    }

    private static void Measure(string label, CryptoAgent.Options options)
    {
        var root = Path.Combine(Path.GetTempPath(), "entice-flood-" + Guid.NewGuid().ToString("N"));
        var config = ConfigurationFactory.ParseString("akka.loglevel = ERROR\nakka.loggers = [\"Akka.Event.DefaultLogger\"]").WithFallback(Entice.Config.EnticeConfig.Client());
        using var system = ActorSystem.Create("flood", config);
        try
        {
            var timeout = TimeSpan.FromSeconds(300);
            var bob = system.ActorOf(CryptoAgent.Props("bob", new KeyDirectory(Path.Combine(root, "bob")), options));
            var alice = system.ActorOf(CryptoAgent.Props("alice", new KeyDirectory(Path.Combine(root, "alice")), new CryptoAgent.Options()));
            var bobInfo = new MemberInfo("bob", bob.Ask<CryptoAgent.IdentityInfo>(new CryptoAgent.GetIdentity(), timeout).Result.Bundle);
            var aliceInfo = new MemberInfo("alice", alice.Ask<CryptoAgent.IdentityInfo>(new CryptoAgent.GetIdentity(), timeout).Result.Bundle);
            using var malloryKeys = IdentityKeys.Create();
            using var malloryPrekey = SignedPrekey.Create(malloryKeys, 1);
            var mallory = new MemberInfo("mallory", Bundles.CreateBundle(malloryKeys, malloryPrekey));
            foreach (var (who, peer) in new[] { (bob, aliceInfo), (bob, mallory), (alice, bobInfo) })
                who.Ask<CryptoAgent.PeerObserved>(new CryptoAgent.ObservePeer(peer), timeout).Wait();
            // A first genuine exchange, so the genuine message later is an ordinary one on an existing session.
            var hello = alice.Ask<CryptoAgent.Encrypted>(new CryptoAgent.Encrypt(bobInfo, "lobby", false, "hello", 1), timeout).Result.Envelope;
            bob.Ask<CryptoAgent.Decrypted>(new CryptoAgent.Decrypt(hello, aliceInfo), timeout).Wait();
            var genuine = alice.Ask<CryptoAgent.Encrypted>(new CryptoAgent.Encrypt(bobInfo, "lobby", false, "during the flood", 2), timeout).Result.Envelope;
            var forged = Enumerable.Range(0, Forged)
                .Select(i => new Entice.Wire.Envelope("lobby", "mallory", "bob", (ulong)i + 10, false, ForgedPrekeyMessage(bobInfo.Identity.PrekeyId, i % 2 == 0 ? 1000u : 0u)))
                .ToList();

            var process = Process.GetCurrentProcess();
            process.Refresh();
            var cpuBefore = process.TotalProcessorTime;
            var wall = Stopwatch.StartNew();
            var answers = forged.Select((e, i) => bob.Ask<object>(new CryptoAgent.Decrypt(e, mallory, (ulong)i), timeout)).ToList();
            var sentGenuineAt = wall.Elapsed;
            var genuineAnswer = bob.Ask<object>(new CryptoAgent.Decrypt(genuine, aliceInfo, 99_999), timeout);
            var shown = genuineAnswer.Result is CryptoAgent.Decrypted { Plaintext.Text: "during the flood" };
            var latency = wall.Elapsed - sentGenuineAt;
            Task.WaitAll([.. answers]);
            var total = wall.Elapsed;
            process.Refresh();
            var cpu = process.TotalProcessorTime - cpuBefore;
            var refusedUnread = answers.Count(a => a.Result is CryptoAgent.DecryptRejected r && r.Reason.Contains("not tried", StringComparison.Ordinal));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{label}: {Forged} forged envelopes: {cpu.TotalSeconds:F3} s CPU, {total.TotalSeconds:F3} s wall; {refusedUnread} refused unread; genuine message {(shown ? "shown" : "NOT SHOWN")} after {latency.TotalMilliseconds:F0} ms"));
        }
        finally
        {
            system.Terminate().Wait(TimeSpan.FromSeconds(10));
            Directory.Delete(root, recursive: true);
        }
    }

    private static byte[] ForgedPrekeyMessage(uint signedPrekeyId, uint index)
    {
        var bytes = new byte[82 + 64 + 16];
        bytes[0] = 0x03;
        bytes[1] = 1;
        RandomNumberGenerator.Fill(bytes.AsSpan(2, 64));
        bytes[33] &= 0x7F;
        bytes[65] &= 0x7F;
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(70, 4), index);
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(74, 4), signedPrekeyId);
        RandomNumberGenerator.Fill(bytes.AsSpan(82));
        return bytes;
    }
}
