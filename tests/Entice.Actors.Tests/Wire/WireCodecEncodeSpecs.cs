using Entice.Wire;

namespace Entice.Tests.Wire;

/// <summary>The encoder refuses anything a peer's decoder would reject, so our own bugs fail locally.</summary>
public sealed class WireCodecEncodeSpecs
{
    private static readonly WireMessageGenerator Generator = new(5);

    private sealed record NotOnTheWire : WireMessage;

    public static TheoryData<string> WrongSizedFields => new()
    {
        "challenge", "challengeSignature", "signingKey", "dhKey", "bindingSignature", "prekey", "prekeySignature",
    };

    [Theory]
    [MemberData(nameof(WrongSizedFields))]
    public void Keys_and_signatures_of_the_wrong_size_are_refused(string field)
    {
        foreach (var delta in new[] { -1, 1 })
        {
            var message = WithWrongSize(field, delta);

            var thrown = Assert.Throws<ArgumentException>(() => WireCodec.Encode(message));
            Assert.Contains(field, thrown.Message, StringComparison.Ordinal);
            Assert.Throws<ArgumentException>(() => WireCodec.EncodeFrame(message));
        }
    }

    [Fact]
    public void Frames_written_into_a_shared_buffer_are_the_bytes_EncodeFrame_returns()
    {
        var buffer = new byte[1 << 20];
        var at = 0;
        var expected = new List<byte>();
        for (var i = 0; i < 200; i++)
        {
            var message = Generator.Any();
            var frame = WireCodec.EncodeFrame(message);
            Assert.Equal(frame.Length, WireCodec.FrameSize(message));
            at += WireCodec.EncodeFrame(message, buffer.AsSpan(at));
            expected.AddRange(frame);
        }
        Assert.Equal(expected, buffer.AsSpan(0, at).ToArray());
    }

    [Fact]
    public void Writing_a_frame_into_too_small_a_buffer_is_refused_and_writes_nothing()
    {
        var message = new Envelope("lobby", "alice", "", 1, false, new byte[100]);
        var buffer = new byte[WireCodec.FrameSize(message) - 1];

        Assert.Throws<ArgumentException>(() => WireCodec.EncodeFrame(message, buffer));
        Assert.All(buffer, b => Assert.Equal(0, b));
        Assert.Throws<ArgumentException>(() => WireCodec.EncodeFrame(new JoinRoom(new string('a', 257)), new byte[1024]));
    }

    [Theory]
    [InlineData(257, "a")]
    [InlineData(129, "é")]
    [InlineData(86, "中")]
    public void Strings_longer_than_256_utf8_bytes_are_refused(int repeat, string piece)
    {
        var text = string.Concat(Enumerable.Repeat(piece, repeat));

        Assert.Throws<ArgumentException>(() => WireCodec.Encode(new JoinRoom(text)));
    }

    [Fact]
    public void A_lone_surrogate_is_refused_rather_than_silently_replaced() =>
        Assert.Throws<System.Text.EncoderFallbackException>(() => WireCodec.Encode(new Welcome("a\uD800b")));

    [Fact]
    public void More_than_1024_members_are_refused()
    {
        var member = new MemberInfo("m", Generator.Identity());
        var members = Enumerable.Repeat(member, WireLimits.MaxMembers + 1).ToArray();

        Assert.Throws<ArgumentException>(() => WireCodec.Encode(new RoomJoined("r", members)));
    }

    [Fact]
    public void Null_fields_are_refused() =>
        Assert.Throws<ArgumentException>(() => WireCodec.Encode(new Envelope("r", null!, "", 1, false, [])));

    [Fact]
    public void A_message_type_without_a_wire_encoding_is_refused() =>
        Assert.Throws<ArgumentException>(() => WireCodec.Encode(new NotOnTheWire()));

    private static WireMessage WithWrongSize(string field, int delta)
    {
        var identity = Generator.Identity();
        byte[] Resized(byte[] value) => new byte[value.Length + delta];

        return field switch
        {
            "challenge" => new ServerHello(1, new byte[WireLimits.ChallengeBytes + delta]),
            "challengeSignature" => new Hello(1, "a", identity, new byte[WireLimits.SignatureBytes + delta]),
            "signingKey" => new MemberJoined("r", new MemberInfo("a", identity with { SigningKey = Resized(identity.SigningKey) })),
            "dhKey" => new MemberJoined("r", new MemberInfo("a", identity with { DhKey = Resized(identity.DhKey) })),
            "bindingSignature" => new Hello(1, "a", identity with { BindingSignature = Resized(identity.BindingSignature) }, new byte[64]),
            "prekey" => new RoomJoined("r", [new MemberInfo("a", identity with { Prekey = Resized(identity.Prekey) })]),
            "prekeySignature" => new Hello(1, "a", identity with { PrekeySignature = Resized(identity.PrekeySignature) }, new byte[64]),
            _ => throw new ArgumentOutOfRangeException(nameof(field)),
        };
    }
}
