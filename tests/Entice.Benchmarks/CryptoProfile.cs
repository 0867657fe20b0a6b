using System.Diagnostics;
using System.Security.Cryptography;
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
        Report("SessionBook.Encrypt + Decrypt 256 B", () =>
        {
            if (!bobBook.Decrypt(alice.Keys, ctx, aliceBook.Encrypt(bob.Keys, ctx, plaintext)).Succeeded)
                throw new InvalidOperationException("decrypt failed");
        });
    }

    private static void Report(string what, Action step)
    {
        for (var i = 0; i < PerBatch; i++)
            step();
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        step();
        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        var best = double.MaxValue;
        for (var b = 0; b < Batches; b++)
        {
            var watch = Stopwatch.StartNew();
            for (var i = 0; i < PerBatch; i++)
                step();
            best = Math.Min(best, watch.Elapsed.TotalMicroseconds / PerBatch);
        }
        Console.WriteLine($"{what,-45} {best,8:F2} µs (best of {Batches} x {PerBatch}) {allocated,6} B allocated");
    }
}
