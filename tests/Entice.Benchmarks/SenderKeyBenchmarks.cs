using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using Entice.Crypto.Group;

namespace Entice.Benchmarks;

/// <summary>
/// Issue 12: one room message under a sender key, 256 bytes of plaintext. RoundTrip = the sender's chain step,
/// AEAD and Ed25519 signature, then one receiver's signature check, chain step and AEAD (the receiver reads
/// every message in order, so no skipped keys). Encrypt = the sender's side alone, which is all the sender
/// pays per room message whatever the room's size.
/// </summary>
[MemoryDiagnoser]
public class SenderKeyBenchmarks
{
    private SenderKey _sender = null!;
    private SenderKeyReceiver _receiver = null!;
    private RosterView _view = null!;
    private byte[] _plaintext = null!;
    private ulong _envelopeId;

    [GlobalSetup]
    public void Setup()
    {
        _view = RosterView.Create(1, [new RosterMember("alice", RandomNumberGenerator.GetBytes(32)), new RosterMember("bob", RandomNumberGenerator.GetBytes(32))]);
        _sender = SenderKey.Create("lobby", "alice", _view, DateTimeOffset.UtcNow);
        _receiver = new SenderKeyReceiver("lobby", SenderKeyOptions.Default);
        var parsed = SenderKeyDistribution.Parse(_sender.Distribution().Encode());
        if (!parsed.Succeeded || _receiver.Accept(parsed.Distribution, "alice") != DistributionOutcome.Accepted)
            throw new InvalidOperationException("distribution failed");
        _plaintext = RandomNumberGenerator.GetBytes(256);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _receiver.Dispose();
        _sender.Dispose();
    }

    [Benchmark]
    public int RoundTrip()
    {
        var id = ++_envelopeId;
        var result = _receiver.Decrypt("alice", id, _sender.Encrypt(_plaintext, id), _view);
        return result.Succeeded ? result.Plaintext.Length : throw new InvalidOperationException(result.ToString());
    }

    [Benchmark]
    public int Encrypt() => _sender.Encrypt(_plaintext, ++_envelopeId).Length;
}
