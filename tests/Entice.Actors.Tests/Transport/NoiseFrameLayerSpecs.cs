using Entice.Channels;
using Entice.Transport;

namespace Entice.Tests.Transport;

/// <summary>
/// The channel as a frame layer, without sockets: write batches sealed by one side come out of the other
/// side's <see cref="NoiseFrameLayer.TryOpen"/> byte for byte in any TCP chunking (frames of several
/// records included), the relay's per-record work allocates nothing once warm (every allocation is GC the
/// relay pays per delivery), and its keys take no memory mapping of their own (a relay with 10,000
/// connections must stay under the kernel's vm.max_map_count).
/// </summary>
public sealed class NoiseFrameLayerSpecs
{
    internal static readonly ChannelSettings Settings = new() { MaxFrameSize = NoiseFrameLayer.UnitLimit(64 * 1024) };

    [Fact]
    public void Sealed_batches_open_byte_for_byte_in_any_chunking()
    {
        var random = new Random(17);
        using var key = X25519KeyPair.Generate();
        using var client = new NoiseFrameLayer(ChannelHandshake.Initiator(Settings, null));
        using var server = new NoiseFrameLayer(ChannelHandshake.Responder(Settings, key));
        Connect(client, server);

        foreach (var (from, to) in new[] { (client, server), (server, client) })
        {
            var sent = new List<byte>();
            var wire = new List<byte>();
            for (var i = 0; i < 40; i++)
            {
                var size = i switch { 0 => 1, 1 => 64 * 1024, 2 => 65_516, 3 => 65_517, _ => random.Next(1, i % 7 == 0 ? 64 * 1024 : 4000) };
                var batch = new byte[size];
                random.NextBytes(batch);
                sent.AddRange(batch);
                wire.AddRange(from.Seal(batch));
            }

            var bytes = wire.ToArray();
            var received = new List<byte>();
            for (var at = 0; at < bytes.Length;)
            {
                var take = Math.Min(bytes.Length - at, random.Next(1, 90_000));
                Assert.True(to.TryOpen(bytes.AsSpan(at, take), out var frames, out var problem), problem);
                received.AddRange(frames.ToArray());
                at += take;
            }

            Assert.Equal(sent.Count, received.Count);
            Assert.True(sent.SequenceEqual(received));
            Assert.Equal(0, to.BufferedBytes);
        }
    }

    [Fact]
    public void Batches_taken_straight_from_the_queue_open_to_the_queued_frames_and_allocate_only_the_record()
    {
        var random = new Random(19);
        using var key = X25519KeyPair.Generate();
        using var client = new NoiseFrameLayer(ChannelHandshake.Initiator(Settings, null));
        using var server = new NoiseFrameLayer(ChannelHandshake.Responder(Settings, key));
        Connect(client, server);
        var queue = new OutboundQueue(1 << 24, NoiseFrameLayer.MaxBatchBytes);
        var sent = new List<byte>();
        for (var i = 0; i < 400; i++)
        {
            var frame = new byte[i == 7 ? 65_530 : random.Next(1, 900)]; // one frame bigger than a record: sealed as several
            random.NextBytes(frame);
            sent.AddRange(frame);
            Assert.True(queue.TryEnqueue(frame));
        }

        // An empty queue seals nothing (no empty record, no nonce spent), as Seal of an empty batch.
        Assert.Empty(client.SealNext(new OutboundQueue(1 << 24, NoiseFrameLayer.MaxBatchBytes)));
        var received = new List<byte>();
        var records = 0;
        while (!queue.IsEmpty)
        {
            var size = queue.NextBatchBytes();
            var before = GC.GetAllocatedBytesForCurrentThread();
            var wire = client.SealNext(queue);
            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            if (size <= SecureChannel.MaxRecordContent)
                Assert.InRange(allocated, wire.Length, wire.Length + 64); // the record Akka.IO writes, no batch array besides
            records++;
            Assert.True(server.TryOpen(wire, out var frames, out var problem), problem);
            received.AddRange(frames.ToArray());
        }

        Assert.True(records >= 3);
        Assert.True(sent.SequenceEqual(received));
    }

    [Fact]
    public void Opening_records_allocates_nothing_once_warm()
    {
        using var key = X25519KeyPair.Generate();
        using var client = new NoiseFrameLayer(ChannelHandshake.Initiator(Settings, null));
        using var server = new NoiseFrameLayer(ChannelHandshake.Responder(Settings, key));
        Connect(client, server);
        // A client's write batch of 64 envelope-sized frames, and a single frame.
        var records = Enumerable.Range(0, 100).Select(_ => (client.Seal(new byte[64 * 302]), client.Seal(new byte[302]))).ToArray();
        var opened = 0;
        var allocated = 0L;
        for (var round = 0; round < 2; round++)
        {
            // The first round warms up (buffers grown, code compiled); the second is measured.
            var before = GC.GetAllocatedBytesForCurrentThread();
            opened = 0;
            for (var i = round * 50; i < (round + 1) * 50; i++)
            {
                opened += OpenAll(server, records[i].Item1) + OpenAll(server, records[i].Item2);
            }

            allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        }

        Assert.Equal(50 * 65 * 302, opened);
        Assert.Equal(0, allocated);
    }

    private static int OpenAll(NoiseFrameLayer layer, byte[] records) =>
        layer.TryOpen(records, out var frames, out _) ? frames.Length : -1;

    [Fact]
    public void Sealing_a_batch_allocates_only_the_bytes_that_are_written()
    {
        using var key = X25519KeyPair.Generate();
        using var client = new NoiseFrameLayer(ChannelHandshake.Initiator(Settings, null));
        using var server = new NoiseFrameLayer(ChannelHandshake.Responder(Settings, key));
        Connect(client, server);
        var batch = new byte[64 * 302];
        _ = server.Seal(batch);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var written = 0L;
        for (var i = 0; i < 50; i++)
            written += server.Seal(batch).Length;

        // The written arrays and their object headers (24 bytes each on x64), nothing else.
        Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - before, written, written + (50 * 32));
    }

    [Fact]
    public void Channel_keys_take_no_memory_mapping_each()
    {
        if (!File.Exists("/proc/self/maps"))
            return; // Linux only: the limit is vm.max_map_count
        var layers = new List<NoiseFrameLayer>();
        using var key = X25519KeyPair.Generate();
        // Warm-up: the first handshake loads libraries and JIT code, which map memory of their own.
        var warm = (new NoiseFrameLayer(ChannelHandshake.Initiator(Settings, null)), new NoiseFrameLayer(ChannelHandshake.Responder(Settings, key)));
        Connect(warm.Item1, warm.Item2);
        layers.AddRange([warm.Item1, warm.Item2]);
        try
        {
            var before = File.ReadAllLines("/proc/self/maps").Length;
            for (var i = 0; i < 200; i++)
            {
                var client = new NoiseFrameLayer(ChannelHandshake.Initiator(Settings, null));
                var server = new NoiseFrameLayer(ChannelHandshake.Responder(Settings, key));
                layers.AddRange([client, server]);
                Connect(client, server);
            }

            var after = File.ReadAllLines("/proc/self/maps").Length;
            // 200 connections hold 800 channel keys (two per side); a key in guarded memory costs mappings of
            // its own (an mmap with guard pages), so 800 of them would add well over 800 lines.
            Assert.True(after - before < 200, $"{after - before} new memory mappings for 200 live channels");
        }
        finally
        {
            foreach (var layer in layers)
                layer.Dispose();
        }
    }

    // The handshake through the layers, as the connection actors drive it.
    internal static void Connect(NoiseFrameLayer client, NoiseFrameLayer server)
    {
        Assert.True(server.TryOpen(client.Seal(client.Start()), out _, out var problem), problem);
        Assert.True(client.TryOpen(server.Seal(server.TakeOutbound()!), out _, out problem), problem);
        Assert.True(server.TryOpen(client.Seal(client.TakeOutbound()!), out _, out problem), problem);
        Assert.True(client.IsReady && server.IsReady);
    }
}
