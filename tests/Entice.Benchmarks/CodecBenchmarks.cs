using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using Entice.Wire;

namespace Entice.Benchmarks;

/// <summary>One 256-byte Envelope frame through the server's codec path: encode (room fan-out) and decode (transport).</summary>
[MemoryDiagnoser]
public class CodecBenchmarks
{
    private Envelope _envelope = null!;
    private byte[] _frame = null!;
    private FrameDecoder _decoder = null!;
    private readonly List<byte[]> _frames = [];

    [GlobalSetup]
    public void Setup()
    {
        _envelope = new Envelope("lobby", "alice", "", 42, false, RandomNumberGenerator.GetBytes(256));
        _frame = WireCodec.EncodeFrame(_envelope);
        _decoder = new FrameDecoder(WireLimits.DefaultMaxFrameSize);
    }

    [Benchmark]
    public byte[] EncodeEnvelopeFrame() => WireCodec.EncodeFrame(_envelope);

    [Benchmark]
    public WireMessage? DecodeEnvelopeFrame()
    {
        _decoder.Feed(_frame, _frames);
        WireCodec.TryDecode(_frames[0], out var message, out _);
        _frames.Clear();
        return message;
    }
}
