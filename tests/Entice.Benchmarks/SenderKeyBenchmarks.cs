using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using Entice.Crypto.Group;
using Entice.Crypto.Primitives;
using NSec.Cryptography;

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
    private SenderKeyPair _pair = null!;
    private SenderKey _sender = null!;
    private SenderKeyReceiver _receiver = null!;
    private RosterView _view = null!;
    private byte[] _plaintext = null!;
    private ulong _envelopeId;
    private Key _nsecKey = null!;
    private byte[] _rawSecret = null!;
    private byte[] _rawPublic = null!;
    private byte[] _signed = null!;
    private byte[] _signature = null!;

    [GlobalSetup]
    public void Setup()
    {
        _pair = new SenderKeyPair();
        (_view, _sender, _receiver) = (_pair.View, _pair.Sender, _pair.Receiver);
        _plaintext = RandomNumberGenerator.GetBytes(256);
        var seed = RandomNumberGenerator.GetBytes(32);
        _nsecKey = Key.Import(SignatureAlgorithm.Ed25519, seed, KeyBlobFormat.RawPrivateKey);
        _rawSecret = GC.AllocateArray<byte>(64, pinned: true);
        _rawPublic = new byte[32];
        Libsodium.SignSeedKeyPair(_rawPublic, _rawSecret, seed);
        _signed = RandomNumberGenerator.GetBytes(450); // what a 256-byte room message signs: labels, names, header, body
        _signature = new byte[64];
        Libsodium.SignDetached(_signature, _signed, _rawSecret);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _pair.Dispose();
        _nsecKey.Dispose();
        CryptographicOperations.ZeroMemory(_rawSecret);
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

    /// <summary>The signature as it was made before (NSec, a Key held for the sender key's life).</summary>
    [Benchmark]
    public byte SignNSec()
    {
        SignatureAlgorithm.Ed25519.Sign(_nsecKey, _signed, _signature);
        return _signature[0];
    }

    /// <summary>The signature as it is made now (libsodium's crypto_sign_detached, pinned raw secret key).</summary>
    [Benchmark]
    public byte SignRaw()
    {
        Libsodium.SignDetached(_signature, _signed, _rawSecret);
        return _signature[0];
    }

    [Benchmark]
    public bool VerifyRaw() => Libsodium.VerifyDetached(_signature, _signed, _rawPublic);
}
