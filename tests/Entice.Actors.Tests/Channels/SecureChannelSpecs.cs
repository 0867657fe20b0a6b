using System.Buffers.Binary;
using Entice.Channels;

namespace Entice.Tests.Channels;

/// <summary>
/// The record layer: frames of any size arrive whole and in order across any TCP chunking; a flipped,
/// replayed, reordered or dropped record breaks only that channel with a classified error; sizes on
/// the wire are buckets; big frames are split and put back together within the frame limit; partial
/// input costs what has arrived, not what was announced.
/// </summary>
public sealed class SecureChannelSpecs
{
    [Theory]
    [InlineData(ChannelSuite.ChaChaPoly)]
    [InlineData(ChannelSuite.AesGcm)]
    public void Random_frames_round_trip_both_ways_in_any_chunking(ChannelSuite suite)
    {
        if (!SuiteRuns(suite))
            return;
        var random = new Random(42);
        var settings = new ChannelSettings { MaxFrameSize = 200_000, Suite = suite };
        using var pair = new ChannelPair(settings);
        Assert.True(pair.Run());
        Assert.Equal(suite, pair.ClientChannel!.Suite);
        Assert.Equal(suite, pair.ServerChannel!.Suite);
        foreach (var (from, to) in new[] { (pair.ClientChannel!, pair.ServerChannel!), (pair.ServerChannel!, pair.ClientChannel!) })
        {
            var sent = new List<byte[]>();
            var wire = new List<byte>();
            for (var i = 0; i < 60; i++)
            {
                var size = i switch { 0 => 0, 1 => 200_000, 2 => 65_516, 3 => 65_517, _ => random.Next(0, i % 10 == 0 ? 150_000 : 3000) };
                var frame = new byte[size];
                random.NextBytes(frame);
                sent.Add(frame);
                wire.AddRange(from.Seal(frame));
            }

            var bytes = wire.ToArray();
            var received = new List<byte[]>();
            var at = 0;
            while (at < bytes.Length)
            {
                var take = Math.Min(bytes.Length - at, random.Next(1, 9000));
                var result = to.Open(bytes.AsSpan(at, take));
                Assert.True(result.Succeeded, result.ToString());
                received.AddRange(result.Frames);
                at += take;
            }

            Assert.Equal(sent.Count, received.Count);
            for (var i = 0; i < sent.Count; i++)
                Assert.Equal(sent[i], received[i]);
            Assert.Equal(0, to.BufferedBytes);
        }
    }

    [Theory]
    [InlineData(ChannelSuite.ChaChaPoly)]
    [InlineData(ChannelSuite.AesGcm)]
    public void Any_flipped_byte_in_a_record_delivers_nothing_and_breaks_the_channel(ChannelSuite suite)
    {
        if (!SuiteRuns(suite))
            return;
        var original = new byte[100];
        new Random(1).NextBytes(original);
        var settings = new ChannelSettings { Suite = suite };
        var probe = NewPair(settings);
        Assert.Equal(suite, probe.ServerChannel!.Suite);
        var length = probe.ClientChannel!.Seal(original).Length;
        probe.Dispose();

        for (var position = 0; position < length; position++)
        {
            using var pair = NewPair(settings);
            var record = pair.ClientChannel!.Seal(original);
            record[position] ^= 0x04;
            // A flipped length may announce a longer record: enough genuine records follow to fill it.
            var following = Enumerable.Range(0, 20).SelectMany(_ => pair.ClientChannel.Seal(original)).ToArray();

            var result = pair.ServerChannel!.Open([.. record, .. following]);

            Assert.Empty(result.Frames);
            Assert.False(result.Succeeded, $"byte {position}");
            Assert.True(result.Error.Kind is ChannelFailure.AuthenticationFailed or ChannelFailure.Malformed, $"byte {position}: {result.Error}");
            Assert.False(pair.ServerChannel.Open(pair.ClientChannel.Seal(original)).Succeeded);
        }
    }

    [Fact]
    public void A_replayed_record_fails()
    {
        using var pair = NewPair();
        var record = pair.ClientChannel!.Seal("send 10 coins"u8);

        Assert.Single(pair.ServerChannel!.Open(record).Frames);
        var replay = pair.ServerChannel.Open(record);

        Assert.Equal(ChannelFailure.AuthenticationFailed, replay.Error!.Kind);
        Assert.Empty(replay.Frames);
    }

    [Fact]
    public void Reordered_records_fail()
    {
        using var pair = NewPair();
        var first = pair.ClientChannel!.Seal("one"u8);
        var second = pair.ClientChannel.Seal("two"u8);

        var result = pair.ServerChannel!.Open([.. second, .. first]);

        Assert.Equal(ChannelFailure.AuthenticationFailed, result.Error!.Kind);
        Assert.Empty(result.Frames);
    }

    [Fact]
    public void A_dropped_record_makes_the_next_one_fail()
    {
        using var pair = NewPair();
        _ = pair.ClientChannel!.Seal("one"u8);
        var second = pair.ClientChannel.Seal("two"u8);

        Assert.Equal(ChannelFailure.AuthenticationFailed, pair.ServerChannel!.Open(second).Error!.Kind);
    }

    [Fact]
    public void A_record_sent_back_to_its_sender_fails()
    {
        using var pair = NewPair();
        var record = pair.ClientChannel!.Seal("echo"u8);

        Assert.Equal(ChannelFailure.AuthenticationFailed, pair.ClientChannel.Open(record).Error!.Kind);
    }

    [Fact]
    public void Frames_of_different_lengths_in_one_bucket_look_the_same_on_the_wire()
    {
        using var pair = NewPair();
        var sizes = new[] { 0, 1, 30, 61 }.Select(n => pair.ClientChannel!.Seal(new byte[n]).Length).Distinct();
        Assert.Equal(2 + 64 + 16, Assert.Single(sizes));

        Assert.Equal(2 + 256 + 16, pair.ClientChannel!.Seal(new byte[62]).Length);
        Assert.Equal(2 + 1024 + 16, pair.ClientChannel.Seal(new byte[300]).Length);
        Assert.Equal(2 + 16384 + 16, pair.ClientChannel.Seal(new byte[10_000]).Length);
        Assert.Equal(2 + 20480 + 16, pair.ClientChannel.Seal(new byte[20_000]).Length);
        Assert.Equal(2 + 20480 + 16, pair.ClientChannel.Seal(new byte[17_000]).Length);
        Assert.Equal(2 + 65519 + 16, pair.ClientChannel.Seal(new byte[65_516]).Length);
    }

    [Fact]
    public void Past_the_largest_bucket_records_are_padded_to_the_configured_step()
    {
        using var coarse = NewPair(new ChannelSettings { PaddingStep = 16384 });
        Assert.Equal(2 + 32768 + 16, coarse.ClientChannel!.Seal(new byte[20_000]).Length);

        using var fine = NewPair(new ChannelSettings { PaddingStep = 1024 });
        Assert.Equal(2 + 20480 + 16, fine.ClientChannel!.Seal(new byte[20_000]).Length);
        Assert.Equal(2 + 16384 + 16, fine.ClientChannel.Seal(new byte[16_000]).Length);

        Assert.Throws<FormatException>(() => new ChannelSettings { PaddingStep = 8 });
    }

    [Fact]
    public void Configured_buckets_are_used_and_an_empty_list_means_no_padding()
    {
        using var padded = NewPair(new ChannelSettings { PaddingBuckets = [100, 1000] });
        Assert.Equal(2 + 100 + 16, padded.ClientChannel!.Seal(new byte[10]).Length);
        Assert.Equal(2 + 2000 + 16, padded.ClientChannel.Seal(new byte[1500]).Length);

        using var plain = NewPair(new ChannelSettings { PaddingBuckets = [] });
        Assert.Equal(2 + 3 + 10 + 16, plain.ClientChannel!.Seal(new byte[10]).Length);
    }

    [Fact]
    public void A_frame_over_the_limit_is_refused_by_the_sender_and_by_the_receiver()
    {
        using var pair = NewPair(new ChannelSettings { MaxFrameSize = 100_000 }, new ChannelSettings { MaxFrameSize = 70_000 });

        var ex = Assert.Throws<ArgumentException>(() => pair.ClientChannel!.Seal(new byte[100_001]));
        Assert.Contains("100001", ex.Message);

        var result = pair.ServerChannel!.Open(pair.ClientChannel!.Seal(new byte[80_000]));
        Assert.Equal(ChannelFailure.FrameTooLarge, result.Error!.Kind);
        Assert.True(pair.ServerChannel.BufferedBytes < 70_000);
    }

    [Fact]
    public void Partial_input_costs_what_arrived_not_what_was_announced()
    {
        using var pair = NewPair();
        var announce = new byte[2 + 10];
        BinaryPrimitives.WriteUInt16BigEndian(announce, 65535);

        var result = pair.ServerChannel!.Open(announce);

        Assert.True(result.Succeeded);
        Assert.True(pair.ServerChannel.BufferedBytes <= 12, $"{pair.ServerChannel.BufferedBytes} bytes held");
    }

    [Fact]
    public void A_record_shorter_than_a_header_and_tag_is_malformed()
    {
        using var pair = NewPair();
        Assert.Equal(ChannelFailure.Malformed, pair.ServerChannel!.Open([0x00, 0x05, 1, 2, 3, 4, 5]).Error!.Kind);
    }

    [Fact]
    public void Garbage_never_throws_and_a_broken_channel_stays_broken()
    {
        var random = new Random(7);
        for (var round = 0; round < 300; round++)
        {
            using var pair = NewPair();
            var garbage = new byte[random.Next(1, 3000)];
            random.NextBytes(garbage);
            ChannelOpenResult result = null!;
            var at = 0;
            while (at < garbage.Length)
            {
                var take = random.Next(1, garbage.Length - at + 1);
                result = pair.ServerChannel!.Open(garbage.AsSpan(at, take));
                at += take;
                Assert.Empty(result.Frames);
                if (!result.Succeeded)
                    break;
            }

            if (!result.Succeeded)
                Assert.False(pair.ServerChannel!.Open(pair.ClientChannel!.Seal("x"u8)).Succeeded);
        }
    }

    [Fact]
    public void No_plaintext_byte_pattern_reaches_the_wire()
    {
        using var pair = NewPair();
        var secret = "alice joins #lobby with key 3f2a91c0"u8.ToArray();

        var wire = pair.ClientChannel!.Seal(secret);

        Assert.Equal(-1, wire.AsSpan().IndexOf(secret.AsSpan(0, 8)));
    }

    /// <summary>
    /// True when this CPU runs the suite. Where it cannot (AES-GCM without AES-NI), what must hold instead
    /// is checked: asking for it is refused at once.
    /// </summary>
    internal static bool SuiteRuns(ChannelSuite suite)
    {
        if (ChannelSuites.IsAvailable(suite))
            return true;
        Assert.Throws<FormatException>(() => new ChannelSettings { Suite = suite });
        return false;
    }

    private static ChannelPair NewPair(ChannelSettings? settings = null, ChannelSettings? serverSettings = null)
    {
        var pair = new ChannelPair(settings, serverSettings: serverSettings);
        Assert.True(pair.Run());
        return pair;
    }
}
