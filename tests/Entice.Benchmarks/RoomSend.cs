using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Akka.Actor;
using Akka.Configuration;
using Entice.Client.Keys;
using Entice.Crypto.Group;
using Entice.Crypto.Identity;
using Entice.Crypto.Storage;
using Entice.Wire;

namespace Entice.Benchmarks;

/// <summary>
/// Issue 12, measured (not a BenchmarkDotNet benchmark): `-- room-send`. The sender's cost per room message with
/// the real crypto actor (its saves included), in rooms of 2, 10 and 100: one <see cref="CryptoAgent.EncryptRoom"/>
/// (sender key: encrypted once, signed) against the pairwise fan-out it replaced (one
/// <see cref="CryptoAgent.Encrypt"/> per member). The first message of each (X3DH, the key's distribution) is
/// left out. Then one sender-key encrypt + decrypt (256 bytes) on its own.
/// </summary>
internal static class RoomSend
{
    private const int Messages = 300;

    public static void Run()
    {
        foreach (var size in new[] { 2, 10, 100 })
        {
            Measure(size, pairwise: true);
            Measure(size, pairwise: false);
        }
        SenderKeyRoundTrip();
    }

    private static void Measure(int roomSize, bool pairwise)
    {
        var root = Path.Combine(Path.GetTempPath(), "entice-room-send-" + Guid.NewGuid().ToString("N"));
        var config = ConfigurationFactory.ParseString("akka.loglevel = ERROR\nakka.loggers = [\"Akka.Event.DefaultLogger\"]").WithFallback(Entice.Config.EnticeConfig.Client());
        var identities = new List<(IdentityKeys Keys, SignedPrekey Prekey)>();
        using var system = ActorSystem.Create("room-send", config);
        try
        {
            var timeout = TimeSpan.FromSeconds(300);
            var sender = system.ActorOf(CryptoAgent.Props("alice", new KeyDirectory(Path.Combine(root, "alice")), new CryptoAgent.Options()));
            sender.Ask<CryptoAgent.IdentityInfo>(new CryptoAgent.GetIdentity(), timeout).Wait();
            var members = new List<MemberInfo>();
            for (var i = 1; i < roomSize; i++)
            {
                var keys = IdentityKeys.Create();
                var prekey = SignedPrekey.Create(keys, 1);
                identities.Add((keys, prekey));
                members.Add(new MemberInfo($"m{i:000}", Bundles.CreateBundle(keys, prekey)));
            }

            ulong id = 1;
            void Send()
            {
                if (pairwise)
                {
                    var asks = members.Select(m => sender.Ask<CryptoAgent.Encrypted>(new CryptoAgent.Encrypt(m, "lobby", false, "a line of chat, as typed", id++), timeout)).ToArray();
                    Task.WaitAll(asks, timeout);
                }
                else
                {
                    var first = id;
                    id += (ulong)members.Count + 1;
                    sender.Ask<CryptoAgent.Encrypted>(new CryptoAgent.EncryptRoom("lobby", members, "a line of chat, as typed", first, first + 1), timeout).Wait();
                }
            }

            Send();
            Send(); // the first's distributions are answered before this one's envelope
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var watch = Stopwatch.StartNew();
            for (var i = 0; i < Messages; i++)
                Send();
            var wall = watch.Elapsed;
            var used = Process.GetCurrentProcess().TotalProcessorTime - cpu;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"room of {roomSize,3}, {(pairwise ? "pairwise fan-out (before)" : "sender key (now)         ")}: {used.TotalMicroseconds / Messages,9:F0} us CPU, {wall.TotalMicroseconds / Messages,9:F0} us wall per room message"));
        }
        finally
        {
            system.Terminate().Wait();
            foreach (var (keys, prekey) in identities)
            {
                prekey.Dispose();
                keys.Dispose();
            }
            try
            {
                Directory.Delete(root, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static void SenderKeyRoundTrip()
    {
        const int rounds = 20_000;
        using var pair = new SenderKeyPair();
        var (view, sender, receiver) = (pair.View, pair.Sender, pair.Receiver);
        var plaintext = RandomNumberGenerator.GetBytes(256);
        ulong id = 0;
        for (var i = 0; i < 2000; i++)
            receiver.Decrypt("alice", ++id, sender.Encrypt(plaintext, id), view);
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < rounds; i++)
        {
            if (!receiver.Decrypt("alice", ++id, sender.Encrypt(plaintext, id), view).Succeeded)
                throw new InvalidOperationException("round trip failed");
        }
        var roundTrip = watch.Elapsed.TotalMicroseconds / rounds;
        watch.Restart();
        for (var i = 0; i < rounds; i++)
            sender.Encrypt(plaintext, ++id);
        var encrypt = watch.Elapsed.TotalMicroseconds / rounds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"sender key, 256 B: encrypt + sign {encrypt:F1} us; encrypt + sign + verify + decrypt {roundTrip:F1} us"));
    }
}
