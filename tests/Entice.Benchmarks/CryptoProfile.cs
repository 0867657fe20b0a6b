using System.Diagnostics;
using System.Security.Cryptography;
using Entice.Crypto.Group;
using Entice.Crypto.Identity;
using Entice.Crypto.Primitives;
using Entice.Crypto.Ratchet;

namespace Entice.Benchmarks;

/// <summary>
/// A quick stopwatch harness (issue 17): where the time of an established-session encrypt + decrypt goes,
/// step by step. The best of several batches, so that a shared, busy machine still gives a usable floor.
/// <c>dotnet run -c Release --project tests/Entice.Benchmarks -- crypto-profile</c>; <c>crypto-profile loop 20</c>
/// runs only encrypt + decrypt for 20 s, for <c>perf record</c>.
/// </summary>
internal static class CryptoProfile
{
    private const int Batches = 15;
    private const int PerBatch = 2000;

    public static void Run(double loopSeconds = 0)
    {
        using var alice = new BenchParty("alice");
        using var bob = new BenchParty("bob");
        using var aliceBook = alice.NewBook();
        using var bobBook = bob.NewBook();
        var ctx = new MessageContext("lobby", "alice", "bob", Direct: false);
        var plaintext = RandomNumberGenerator.GetBytes(256);
        if (!bobBook.Decrypt(alice.Keys, ctx, aliceBook.Encrypt(bob.Keys, ctx, plaintext)).Succeeded)
            throw new InvalidOperationException("session setup failed");

        if (loopSeconds > 0)
        {
            // For a profiler (perf record -p PID): encrypt + decrypt only, for this many seconds.
            var until = Stopwatch.StartNew();
            var count = 0L;
            while (until.Elapsed.TotalSeconds < loopSeconds)
            {
                if (!bobBook.Decrypt(alice.Keys, ctx, aliceBook.Encrypt(bob.Keys, ctx, plaintext)).Succeeded)
                    throw new InvalidOperationException("decrypt failed");
                count++;
            }

            Console.WriteLine($"{count} encrypt + decrypt in {until.Elapsed.TotalSeconds:F1} s: {until.Elapsed.TotalMicroseconds / count:F2} µs each");
            return;
        }

        var key = RandomNumberGenerator.GetBytes(32);
        var padded = Padding.Pad(plaintext);
        var ad = new byte[300];
        var sealedBody = MessageCipher.Seal(key, ad, padded);
        var header = new byte[74];

        var keyAndNonce = new byte[44];
        var body = new byte[padded.Length + 16];
        Report("HKDF-SHA256 (NSec) 44 B", () => NSec.Cryptography.KeyDerivationAlgorithm.HkdfSha256.DeriveBytes(key, KdfLabels.ZeroSalt, KdfLabels.Message, keyAndNonce));
        Report("Kdf.HkdfInto (libsodium HMAC) 44 B", () => Kdf.HkdfInto(key, KdfLabels.ZeroSalt, KdfLabels.Message, keyAndNonce));
        Report("Kdf.HkdfZeroSaltInto (zero salt keyed once) 44 B", () => Kdf.HkdfZeroSaltInto(key, KdfLabels.Message, keyAndNonce));
        Report("ChaCha20-Poly1305 (libsodium) 256 B", () => Libsodium.AeadEncrypt(body, padded, ad, keyAndNonce.AsSpan(32, 12), keyAndNonce.AsSpan(0, 32)));
        Report("Kdf.ChainStep (2 HMAC-SHA256)", () => Kdf.ChainStep(key));
        var chainCopy = (byte[])key.Clone();
        var stepKey = new byte[32];
        Report("Kdf.ChainStepInto (in place, no arrays)", () => Kdf.ChainStepInto(chainCopy, stepKey, chainCopy));
        try
        {
            ShaNiProbes(key, chainCopy, stepKey);
        }
        catch (DllNotFoundException)
        {
            Console.WriteLine("(no libcrypto.so.3: the OpenSSL SHA-256 probe is skipped)");
        }

        var mac = new byte[32];
        var one = new byte[] { 1 };
        var block96 = new byte[96];
        Report("HMAC-SHA256 libsodium, 1 B", () => Libsodium.HmacSha256(mac, one, key));
        Report("HMACSHA256.HashData (OpenSSL), 1 B", () => HMACSHA256.HashData(key, one, mac));
        Report("SHA256.HashData (OpenSSL), 96 B", () => SHA256.HashData(block96, mac));
        Report("SHA256.HashData (OpenSSL), 0 B", () => SHA256.HashData([], mac));
        var kb = new byte[1024];
        Report("SHA256.HashData (OpenSSL), 1024 B", () => SHA256.HashData(kb, mac));
        Report("libsodium HMAC 1024 B", () => Libsodium.HmacSha256(mac, kb, key));
        using (var inc = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key))
            Report("IncrementalHash HMAC reuse, 1 B", () => { inc.AppendData(one); inc.GetHashAndReset(mac); });
        Report("IncrementalHash HMAC create+2+dispose", () => { using var h = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key); h.AppendData(one); h.GetHashAndReset(mac); h.AppendData(one); h.GetHashAndReset(mac); });
        Report("MessageCipher.Seal 256 B (HKDF + AEAD)", () => MessageCipher.Seal(key, ad, padded));
        Report("MessageCipher.Open 256 B (HKDF + AEAD)", () => MessageCipher.Open(key, ad, sealedBody));
        Report("Padding.Pad", () => Padding.Pad(plaintext));
        Report("MessageCipher.AssociatedData", () => MessageCipher.AssociatedData(alice.Identity.Public, bob.Identity.Public, header, ctx));
        using (var lone = alice.NewBook())
            Report("SessionBook.Encrypt 256 B", () => lone.Encrypt(bob.Keys, ctx, plaintext));
        using (var sender = alice.NewBook())
        using (var receiver = bob.NewBook())
        {
            // Decrypt alone: in-order messages encrypted beforehand (one per call Report makes).
            var queue = new Queue<byte[]>(Enumerable.Range(0, (PerBatch * (Batches + 1)) + 1).Select(_ => sender.Encrypt(bob.Keys, ctx, plaintext)));
            Report("SessionBook.Decrypt 256 B (in order)", () =>
            {
                if (!receiver.Decrypt(alice.Keys, ctx, queue.Dequeue()).Succeeded)
                    throw new InvalidOperationException("decrypt failed");
            });
        }
        GroupSteps(plaintext);
        Report("SessionBook.Encrypt + Decrypt 256 B", () =>
        {
            if (!bobBook.Decrypt(alice.Keys, ctx, aliceBook.Encrypt(bob.Keys, ctx, plaintext)).Succeeded)
                throw new InvalidOperationException("decrypt failed");
        });
    }

    // Issue 12's sender keys: the sender's encrypt + sign, one receiver's verify + decrypt (in order), and the
    // Ed25519 floor under both (libsodium, raw keys, 450 signed bytes: what a 256-byte room message signs).
    private static void GroupSteps(byte[] plaintext)
    {
        using var pair = new SenderKeyPair();
        var (view, sender, receiver) = (pair.View, pair.Sender, pair.Receiver);
        ulong id = 0;
        var messages = new Queue<(ulong Id, byte[] Message)>();
        Report("SenderKey.Encrypt 256 B (chain step, AEAD, sign)", () =>
        {
            var next = ++id;
            messages.Enqueue((next, sender.Encrypt(plaintext, next)));
        });
        Report("SenderKeyReceiver.Decrypt 256 B (verify, in order)", () =>
        {
            var (at, message) = messages.Dequeue();
            if (!receiver.Decrypt("alice", at, message, view).Succeeded)
                throw new InvalidOperationException("group decrypt failed");
        });

        var seed = RandomNumberGenerator.GetBytes(32);
        var secret = GC.AllocateArray<byte>(64, pinned: true);
        var publicKey = new byte[32];
        Libsodium.SignSeedKeyPair(publicKey, secret, seed);
        var signed = RandomNumberGenerator.GetBytes(450);
        var signature = new byte[64];
        Report("Ed25519 sign 450 B (libsodium, the floor)", () => Libsodium.SignDetached(signature, signed, secret));
        Report("Ed25519 verify 450 B (libsodium, the floor)", () =>
        {
            if (!Libsodium.VerifyDetached(signature, signed, publicKey))
                throw new InvalidOperationException("verify failed");
        });
        CryptographicOperations.ZeroMemory(secret);
    }

    // This thread's CPU time (CLOCK_THREAD_CPUTIME_ID, ns resolution): on a machine shared with other work it
    // leaves out the time the thread waited for a core, which the wall-clock figure includes.
    private static double ThreadCpuMicroseconds()
    {
        if (clock_gettime(3, out var now) != 0)
            return double.NaN;
        return (now.Seconds * 1e6) + (now.Nanoseconds / 1e3);
    }

    [System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [System.Runtime.InteropServices.DllImport("libc", SetLastError = false)]
    private static extern int clock_gettime(int clock, out TimeSpec time);

    // Measurement only (ShaNiProbe): the chain step and the zero-salt HKDF on OpenSSL's SHA-256, checked for the same bytes first.
    private static void ShaNiProbes(byte[] key, byte[] chainCopy, byte[] stepKey)
    {
            var probeKey = new byte[32];
            var probeChain = new byte[32];
            ShaNiProbe.ChainStep(key, probeKey, probeChain);
            var (referenceKey, referenceChain) = Kdf.ChainStep(key);
            if (!probeKey.AsSpan().SequenceEqual(referenceKey) || !probeChain.AsSpan().SequenceEqual(referenceChain))
                throw new InvalidOperationException("the OpenSSL probe's chain step differs from Kdf.ChainStep");
            Report("chain step on OpenSSL SHA-256 (SHA-NI; probe only)", () => ShaNiProbe.ChainStep(chainCopy, stepKey, chainCopy));
            var probeHkdf = new byte[44];
            ShaNiProbe.HkdfZeroSalt(key, KdfLabels.Message, probeHkdf);
            var referenceHkdf = new byte[44];
            Kdf.HkdfZeroSaltInto(key, KdfLabels.Message, referenceHkdf);
            if (!probeHkdf.AsSpan().SequenceEqual(referenceHkdf))
                throw new InvalidOperationException("the OpenSSL probe's HKDF differs from Kdf.HkdfZeroSaltInto");
            Report("HKDF 44 B on OpenSSL SHA-256 (SHA-NI; probe only)", () => ShaNiProbe.HkdfZeroSalt(key, KdfLabels.Message, probeHkdf));
    }

    private static void Report(string what, Action step)
    {
        for (var i = 0; i < PerBatch; i++)
            step();
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        step();
        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        var best = double.MaxValue;
        var bestCpu = double.MaxValue;
        for (var b = 0; b < Batches; b++)
        {
            var cpu = ThreadCpuMicroseconds();
            var watch = Stopwatch.StartNew();
            for (var i = 0; i < PerBatch; i++)
                step();
            best = Math.Min(best, watch.Elapsed.TotalMicroseconds / PerBatch);
            bestCpu = Math.Min(bestCpu, (ThreadCpuMicroseconds() - cpu) / PerBatch);
        }

        Console.WriteLine($"{what,-52} {best,8:F2} µs (best of {Batches} x {PerBatch}) {bestCpu,8:F2} µs thread CPU {allocated,6} B allocated");
    }
}
