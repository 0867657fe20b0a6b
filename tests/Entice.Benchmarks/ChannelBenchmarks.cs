using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using Entice.Channels;

namespace Entice.Benchmarks;

/// <summary>
/// The client-to-relay channel (issue 13): one whole Noise XX handshake (both sides, as the relay and a
/// client each pay half), and Seal + Open of a 256-byte frame (padded to the 1024 bucket by default), of
/// one load-tool envelope frame (313 bytes with the record header: the 1024 bucket) and of a write batch of
/// 64 of them (20,032 bytes: past the largest bucket, so padded to the next 4 KiB step, 20,480; 32,768
/// before padding-step), the unit the transports seal. The *InPlace rows are the relay's own path: sealed
/// into a reused buffer, opened into a reused buffer (<see cref="SecureChannel.TryOpen"/>); the others go
/// through the allocating convenience API (an output array, a list of frame arrays). Each row for both
/// suites (<see cref="Suite"/>): ChaChaPoly and AESGCM (libsodium's AES-NI code; this CPU must have it).
/// </summary>
[MemoryDiagnoser]
public class ChannelBenchmarks
{
    private ChannelSettings _settings = new();
    private X25519KeyPair _serverKey = null!;
    private SecureChannel _client = null!;
    private SecureChannel _server = null!;
    private byte[] _frame = null!;
    private byte[] _peerPublic = null!;
    private byte[] _envelope = null!;
    private byte[] _batch = null!;
    private byte[] _sealed = new byte[64 * 1024];
    private byte[] _opened = new byte[64 * 1024];

    [Params(ChannelSuite.ChaChaPoly, ChannelSuite.AesGcm)]
    public ChannelSuite Suite { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _settings = new ChannelSettings { Suite = Suite };
        _serverKey = X25519KeyPair.Generate();
        (_client, _server) = Connect();
        _frame = RandomNumberGenerator.GetBytes(256);
        _envelope = RandomNumberGenerator.GetBytes(310);
        _batch = RandomNumberGenerator.GetBytes(64 * 313);
        using var peer = X25519KeyPair.Generate();
        _peerPublic = peer.PublicKey;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _client.Dispose();
        _server.Dispose();
        _serverKey.Dispose();
    }

    /// <summary>Client and server side of one handshake (fresh client key, three messages).</summary>
    [Benchmark]
    public int Handshake()
    {
        var (client, server) = Connect();
        var length = client.HandshakeHash.Length + server.HandshakeHash.Length;
        client.Dispose();
        server.Dispose();
        return length;
    }

    /// <summary>Baseline for a loaded machine: one X25519 agreement as the handshake does it (import, check, DH).</summary>
    [Benchmark(Baseline = true)]
    public int X25519Agreement()
    {
        var secret = _serverKey.Agree(_peerPublic);
        return secret.Length;
    }

    [Benchmark]
    public int SealOpen256()
    {
        var result = _server.Open(_client.Seal(_frame));
        return result.Frames[0].Length;
    }

    [Benchmark]
    public int SealOpenEnvelope()
    {
        var result = _server.Open(_client.Seal(_envelope));
        return result.Frames[0].Length;
    }

    [Benchmark]
    public int SealOpenBatch64()
    {
        var result = _server.Open(_client.Seal(_batch));
        return result.Frames[0].Length;
    }

    [Benchmark]
    public int SealOpenEnvelopeInPlace() => SealOpenInPlace(_envelope);

    [Benchmark]
    public int SealOpenBatch64InPlace() => SealOpenInPlace(_batch);

    /// <summary>
    /// What SecureChannel.Seal spent on every call before it sealed in place (kept for the comparison in
    /// tests/perf/README.md) on every call besides the cipher: it rents a buffer of the largest
    /// record (65,519 bytes: the pool hands out 64 KiB) and zeroes all of it afterwards, whatever the
    /// record's size.
    /// </summary>
    [Benchmark]
    public int ZeroRented64KiB()
    {
        var plain = System.Buffers.ArrayPool<byte>.Shared.Rent(65519);
        CryptographicOperations.ZeroMemory(plain);
        System.Buffers.ArrayPool<byte>.Shared.Return(plain);
        return plain.Length;
    }

    private int SealOpenInPlace(byte[] frame)
    {
        var n = _client.Seal(frame, _sealed);
        if (!_server.TryOpen(_sealed.AsSpan(0, n), ref _opened, out _, out var length, out _))
            throw new InvalidOperationException("open failed");
        return length;
    }

    private (SecureChannel Client, SecureChannel Server) Connect()
    {
        using var initiator = ChannelHandshake.Initiator(_settings, null);
        using var responder = ChannelHandshake.Responder(_settings, _serverKey);
        var second = responder.Receive(initiator.Start());
        var third = initiator.Receive(second.Outbound);
        var done = responder.Receive(third.Outbound);
        if (!third.IsComplete || !done.IsComplete)
            throw new InvalidOperationException("handshake failed");
        return (third.Channel, done.Channel);
    }
}
