using Entice.Wire;

namespace Entice.Tests.Wire;

public sealed class WireCodecRoundTripSpecs
{
    public static TheoryData<string> Kinds => new(WireMessageGenerator.Kinds);

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Every_message_type_survives_a_round_trip_with_generated_values(string kind)
    {
        for (var seed = 0; seed < 300; seed++)
        {
            var original = new WireMessageGenerator(seed).Of(kind);

            AssertRoundTrips(original, $"seed {seed}");
        }
    }

    [Fact]
    public void Room_joined_with_no_other_members_round_trips() =>
        AssertRoundTrips(new RoomJoined("#empty", []));

    [Fact]
    public void Room_joined_with_the_maximum_number_of_members_round_trips()
    {
        var generator = new WireMessageGenerator(1);
        var members = Enumerable.Range(0, WireLimits.MaxMembers)
            .Select(i => new MemberInfo($"member{i}", generator.Identity()))
            .ToArray();

        AssertRoundTrips(new RoomJoined("#huge", members));
    }

    [Fact]
    public void Strings_of_exactly_the_maximum_size_round_trip_in_one_two_three_and_four_byte_characters()
    {
        var ascii = new string('a', 256);
        var twoByte = string.Concat(Enumerable.Repeat("é", 128));
        var threeByte = string.Concat(Enumerable.Repeat("中", 85)) + "a";
        var fourByte = string.Concat(Enumerable.Repeat("😀", 64));

        AssertRoundTrips(new Envelope(ascii, twoByte, threeByte, 1, false, [1]));
        AssertRoundTrips(new ErrorMessage(fourByte, ascii));
    }

    [Fact]
    public void Unicode_names_and_rooms_arrive_unchanged()
    {
        var identity = new WireMessageGenerator(2).Identity();

        AssertRoundTrips(new MemberJoined("#кухня", new MemberInfo("Zoë", identity)));
        AssertRoundTrips(new MemberLeft("#日本語", "李小龍"));
        AssertRoundTrips(new Welcome("שלום"));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(65_000)]
    [InlineData(1_048_576)]
    public void Large_and_empty_ciphertexts_arrive_unchanged(int size)
    {
        var generator = new WireMessageGenerator(size);

        AssertRoundTrips(new Envelope("#room", "alice", "bob", ulong.MaxValue, true, generator.Bytes(size)));
    }

    [Fact]
    public void Encoded_frames_pass_through_the_frame_decoder_and_decode_to_the_same_messages()
    {
        var generator = new WireMessageGenerator(3);
        var messages = Enumerable.Range(0, 200).Select(_ => generator.Any()).ToArray();
        var stream = messages.SelectMany(WireCodec.EncodeFrame).ToArray();
        var decoder = new FrameDecoder(1 << 20);
        var frames = new List<byte[]>();

        // Akka.IO hands over 512-byte reads.
        for (var offset = 0; offset < stream.Length; offset += 512)
        {
            Assert.Equal(FrameDecodeStatus.Ok, decoder.Feed(stream.AsSpan(offset, Math.Min(512, stream.Length - offset)), frames));
        }

        Assert.Equal(messages.Length, frames.Count);
        for (var i = 0; i < messages.Length; i++)
        {
            Assert.True(WireCodec.TryDecode(frames[i], out var decoded, out var error), error);
            Assert.Equal(WireMessageGenerator.Describe(messages[i]), WireMessageGenerator.Describe(decoded));
        }
    }

    [Fact]
    public void Encode_frame_is_the_length_prefix_followed_by_the_payload()
    {
        for (var seed = 0; seed < 100; seed++)
        {
            var message = new WireMessageGenerator(seed).Any();

            Assert.Equal(FrameEncoder.Frame(WireCodec.Encode(message)), WireCodec.EncodeFrame(message));
        }
    }

    private static void AssertRoundTrips(WireMessage original, string context = "")
    {
        var encoded = WireCodec.Encode(original);

        Assert.True(WireCodec.TryDecode(encoded, out var decoded, out var error), $"{context}: {error}");
        Assert.Equal(original.GetType(), decoded.GetType());
        Assert.Equal(WireMessageGenerator.Describe(original), WireMessageGenerator.Describe(decoded));
        Assert.Equal(encoded, WireCodec.Encode(decoded));
    }
}
