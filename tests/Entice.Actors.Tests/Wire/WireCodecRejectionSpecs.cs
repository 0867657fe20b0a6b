using Entice.Wire;

namespace Entice.Tests.Wire;

public sealed class WireCodecRejectionSpecs
{
    // Envelope("#r", "a", "", 0x0102, true, [AA BB CC]); offsets below refer to this layout.
    private const int DirectOffset = 18;
    private const int CiphertextLengthOffset = 19;

    private static byte[] SampleEnvelope() =>
        WireCodec.Encode(new Envelope("#r", "a", "", 0x0102, true, [0xAA, 0xBB, 0xCC]));

    public static TheoryData<string> Kinds => new(WireMessageGenerator.Kinds);

    [Theory]
    [InlineData(0x7F, "unknown message tag 0x7f")]
    [InlineData(0x00, "unknown message tag 0x00")]
    [InlineData(0xFF, "unknown message tag 0xff")]
    public void Unknown_tag_is_rejected_by_number(byte tag, string expected) =>
        AssertRejected([tag, 0, 0], expected);

    [Fact]
    public void Empty_payload_is_rejected() => AssertRejected([], "empty payload");

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Every_truncation_of_every_message_type_is_rejected(string kind)
    {
        for (var seed = 0; seed < 20; seed++)
        {
            var encoded = WireCodec.Encode(new WireMessageGenerator(seed).Of(kind));
            for (var length = 0; length < encoded.Length; length++)
            {
                Assert.False(WireCodec.TryDecode(encoded.AsSpan(0, length), out _, out var error), $"seed {seed}, length {length}");
                Assert.False(string.IsNullOrWhiteSpace(error));
            }
        }
    }

    [Fact]
    public void Truncated_field_is_named_in_the_error() =>
        AssertRejected([0x30, 0x01, 0x02], "truncated field 'nonce': needs 8 bytes, 2 left");

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void Trailing_bytes_are_rejected(int extra)
    {
        byte[] payload = [.. SampleEnvelope(), .. new byte[extra]];

        AssertRejected(payload, $"trailing {extra} bytes");
    }

    [Fact]
    public void A_message_without_fields_still_rejects_trailing_bytes() =>
        AssertRejected([0x32, 0x00], "trailing 1 bytes after Goodbye");

    [Theory]
    [InlineData(2)]
    [InlineData(0xFF)]
    public void Bool_other_than_zero_or_one_is_rejected(byte value)
    {
        var payload = SampleEnvelope();
        payload[DirectOffset] = value;

        AssertRejected(payload, $"bool field 'direct' has value {value}");
    }

    [Theory]
    [InlineData(4u)]
    [InlineData(0x7FFF_FFFFu)]
    [InlineData(0xFFFF_FFFFu)]
    public void Ciphertext_length_beyond_the_payload_is_rejected(uint claimed)
    {
        var payload = SampleEnvelope();
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(payload.AsSpan(CiphertextLengthOffset), claimed);

        AssertRejected(payload, "field 'ciphertext' claims");
    }

    [Fact]
    public void Ciphertext_length_shorter_than_the_bytes_sent_leaves_trailing_bytes()
    {
        var payload = SampleEnvelope();
        payload[CiphertextLengthOffset + 3] = 2;

        AssertRejected(payload, "trailing 1 bytes");
    }

    [Fact]
    public void String_of_257_bytes_is_rejected_and_256_accepted()
    {
        byte[] tooLong = [0x03, 0x01, 0x01, .. Enumerable.Repeat((byte)'a', 257)];
        byte[] longest = [0x03, 0x01, 0x00, .. Enumerable.Repeat((byte)'a', 256)];

        AssertRejected(tooLong, "string field 'name' is 257 bytes, max 256");
        Assert.True(WireCodec.TryDecode(longest, out var message, out _));
        Assert.Equal(new string('a', 256), ((Welcome)message).Name);
    }

    [Fact]
    public void String_length_beyond_the_payload_is_rejected() =>
        AssertRejected([0x10, 0x00, 0x05, (byte)'a', (byte)'b'], "truncated field 'room'");

    [Theory]
    [InlineData(new byte[] { 0xC3, 0x28 }, "bad continuation byte")]
    [InlineData(new byte[] { 0x80 }, "lone continuation byte")]
    [InlineData(new byte[] { 0xC0, 0xAF }, "overlong '/'")]
    [InlineData(new byte[] { 0xE0, 0x80, 0xAF }, "overlong '/' in three bytes")]
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 }, "UTF-16 surrogate encoded as UTF-8")]
    [InlineData(new byte[] { 0xE2, 0x82 }, "truncated three-byte sequence")]
    [InlineData(new byte[] { 0xF4, 0x90, 0x80, 0x80 }, "beyond U+10FFFF")]
    [InlineData(new byte[] { 0xFF }, "byte that never appears in UTF-8")]
    public void Invalid_utf8_is_rejected_instead_of_being_replaced(byte[] text, string why)
    {
        byte[] payload = [0x03, 0x00, (byte)(text.Length + 1), (byte)'x', .. text];

        Assert.False(WireCodec.TryDecode(payload, out _, out var error), why);
        Assert.Equal("string field 'name' is not valid UTF-8", error);
    }

    [Fact]
    public void Invalid_utf8_in_a_later_field_is_named()
    {
        byte[] payload = [0x15, 0x00, 0x01, (byte)'r', 0x00, 0x01, 0xFE];

        AssertRejected(payload, "string field 'name' is not valid UTF-8");
    }

    [Fact]
    public void The_error_never_quotes_the_payload()
    {
        // A relay logs this reason; it must not copy attacker-chosen text (or anything secret) into the log.
        byte[] payload = [0x40, 0x00, 0x07, .. "secret!"u8, 0x00, 0x03, .. "pw"u8, 0xFF];

        Assert.False(WireCodec.TryDecode(payload, out _, out var error));
        Assert.DoesNotContain("secret", error, StringComparison.Ordinal);
        Assert.DoesNotContain("pw", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Server_hello_with_a_short_challenge_is_rejected()
    {
        byte[] payload = [0x01, 0x00, 0x01, .. new byte[WireLimits.ChallengeBytes - 1]];

        AssertRejected(payload, "truncated field 'challenge'");
    }

    [Fact]
    public void Server_hello_with_a_long_challenge_is_rejected()
    {
        byte[] payload = [0x01, 0x00, 0x01, .. new byte[WireLimits.ChallengeBytes + 1]];

        AssertRejected(payload, "trailing 1 bytes");
    }

    [Theory]
    [InlineData(0, "signingKey")]
    [InlineData(32, "dhKey")]
    [InlineData(64, "bindingSignature")]
    [InlineData(132, "prekey")]
    public void Hello_with_a_key_one_byte_short_is_rejected(int keyStart, string _)
    {
        // Keys travel raw, so a short key shifts everything after it and the payload ends too early.
        var generator = new WireMessageGenerator(9);
        var encoded = WireCodec.Encode(new Hello(1, "alice", generator.Identity(), generator.Bytes(WireLimits.SignatureBytes)));
        var identityStart = 1 + 2 + 2 + "alice".Length;
        var payload = encoded.Where((_, i) => i != identityStart + keyStart).ToArray();

        AssertRejected(payload, "truncated field 'challengeSignature'");
    }

    [Fact]
    public void Member_count_above_the_limit_is_rejected_before_reading_members()
    {
        byte[] payload = [0x12, 0x00, 0x01, (byte)'r', 0x04, 0x01];

        AssertRejected(payload, "member count 1025 exceeds max 1024");
    }

    [Fact]
    public void Member_count_that_the_payload_cannot_hold_is_rejected()
    {
        var member = new MemberInfo("a", new WireMessageGenerator(4).Identity());
        var payload = WireCodec.Encode(new RoomJoined("r", [member, member]));
        payload[5] = 3; // count low byte: 3 members claimed, 2 present

        AssertRejected(payload, "member count 3 needs at least");
    }

    private static void AssertRejected(byte[] payload, string expectedError)
    {
        Assert.False(WireCodec.TryDecode(payload, out var message, out var error));
        Assert.Null(message);
        Assert.Contains(expectedError, error, StringComparison.Ordinal);
    }
}
