using System.Buffers.Binary;
using Akka.IO;
using Akka.TestKit.Xunit2;
using Entice.Wire;
using Entice.Transport;

namespace Entice.Tests.Wire;

/// <summary>A probe stands in for the Akka.IO connection actor.</summary>
public sealed class AckedWriterSpecs : TestKit
{
    public AckedWriterSpecs() : base("akka.loglevel = WARNING")
    {
    }

    [Fact]
    public async Task Only_one_batch_is_in_flight_and_the_rest_follows_each_ack_in_order()
    {
        var connection = CreateTestProbe();
        var writer = new AckedWriter(maxQueueBytes: 1 << 20);
        writer.Attach(connection.Ref);

        writer.TryEnqueue([1]);
        writer.TryEnqueue([2]);
        writer.TryEnqueue([3]);

        var first = await connection.ExpectMsgAsync<Tcp.Write>();
        Assert.Equal(new byte[] { 1 }, first.Data.ToArray());
        Assert.Same(AckedWriter.Ack.Instance, first.Ack);
        await connection.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(100));

        writer.OnAck();
        Assert.Equal(new byte[] { 2, 3 }, (await connection.ExpectMsgAsync<Tcp.Write>()).Data.ToArray());
    }

    [Fact]
    public async Task With_the_channel_each_ack_round_writes_its_whole_batch_as_one_record()
    {
        using var key = Entice.Channels.X25519KeyPair.Generate();
        using var client = new NoiseFrameLayer(Entice.Channels.ChannelHandshake.Initiator(Tests.Transport.NoiseFrameLayerSpecs.Settings, null));
        using var server = new NoiseFrameLayer(Entice.Channels.ChannelHandshake.Responder(Tests.Transport.NoiseFrameLayerSpecs.Settings, key));
        Tests.Transport.NoiseFrameLayerSpecs.Connect(client, server);
        var connection = CreateTestProbe();
        var writer = new AckedWriter(maxQueueBytes: 1 << 20, server);
        // 400 envelope-sized frames queued while nothing is attached: one burst, as a busy room makes.
        for (var i = 0; i < 400; i++)
            Assert.True(writer.TryEnqueue(new byte[302]));
        writer.Attach(connection.Ref);

        var frames = 0;
        while (frames < 400)
        {
            var data = (await connection.ExpectMsgAsync<Tcp.Write>()).Data.ToArray();
            Assert.Equal(2 + BinaryPrimitives.ReadUInt16BigEndian(data), data.Length); // exactly one record
            Assert.True(client.TryOpen(data, out var opened, out var problem), problem);
            Assert.Equal(0, opened.Length % 302);
            Assert.True(frames + (opened.Length / 302) == 400 || opened.Length > 65_000, $"a batch of {opened.Length} bytes before the end");
            frames += opened.Length / 302;
            writer.OnAck();
        }
    }

    [Fact]
    public async Task A_peer_that_never_acknowledges_hits_the_queue_limit()
    {
        var connection = CreateTestProbe();
        var writer = new AckedWriter(maxQueueBytes: 100);
        writer.Attach(connection.Ref);

        Assert.True(writer.TryEnqueue(new byte[60])); // in flight, no longer counted as queued
        Assert.True(writer.TryEnqueue(new byte[60]));
        Assert.False(writer.TryEnqueue(new byte[60]));
        await connection.ExpectMsgAsync<Tcp.Write>();
    }

    [Fact]
    public async Task Close_waits_until_everything_queued_is_written()
    {
        var connection = CreateTestProbe();
        var writer = new AckedWriter(maxQueueBytes: 1 << 20);
        writer.Attach(connection.Ref);
        writer.TryEnqueue([1]);
        writer.TryEnqueue([2]);

        writer.CloseWhenDrained();
        await connection.ExpectMsgAsync<Tcp.Write>();
        writer.OnAck();
        await connection.ExpectMsgAsync<Tcp.Write>();
        await connection.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(100));
        writer.OnAck();

        await connection.ExpectMsgAsync<Tcp.Close>();
    }
}
