using Entice.Wire;

namespace Entice.Tests.Wire;

/// <summary>
/// Exact bytes. Peers built from different commits must agree on these, so any change here is a protocol
/// break and has to be deliberate (and come with a new <see cref="ProtocolVersion"/>).
/// </summary>
public sealed class WireCodecLayoutSpecs
{
    private static readonly byte[] Key32 = Enumerable.Range(0x00, 32).Select(i => (byte)i).ToArray();
    private static readonly byte[] Sig64 = Enumerable.Range(0x40, 64).Select(i => (byte)i).ToArray();
    private static readonly IdentityBundle Identity = new(Key32, Key32, Sig64, 0x0A0B0C0D, Key32, Sig64);

    public static TheoryData<WireMessage, byte> Tags => new()
    {
        { new ServerHello(1, Key32), 0x01 },
        { new Hello(1, "a", Identity, Sig64), 0x02 },
        { new Welcome("a"), 0x03 },
        { new JoinRoom("r"), 0x10 },
        { new LeaveRoom("r"), 0x11 },
        { new RoomJoined("r", []), 0x12 },
        { new RoomLeft("r"), 0x13 },
        { new MemberJoined("r", new MemberInfo("a", Identity)), 0x14 },
        { new MemberLeft("r", "a"), 0x15 },
        { new Envelope("r", "a", "b", 1, false, [1]), 0x20 },
        { new EnvelopeAck(1), 0x21 },
        { new EnvelopeRefused(1, "c", "m"), 0x22 },
        { new StoredAck(1), 0x25 },
        { new Ping(1), 0x30 },
        { new Pong(1), 0x31 },
        { new Goodbye(), 0x32 },
        { new GoodbyeAck(), 0x33 },
        { new ErrorMessage("c", "m"), 0x40 },
    };

    [Theory]
    [MemberData(nameof(Tags))]
    public void Each_message_type_starts_with_its_documented_tag(WireMessage message, byte tag) =>
        Assert.Equal(tag, WireCodec.Encode(message)[0]);

    [Fact]
    public void Ping_is_the_tag_then_a_big_endian_nonce() =>
        Assert.Equal(
            [0x30, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08],
            WireCodec.Encode(new Ping(0x0102030405060708)));

    [Fact]
    public void Goodbye_is_the_tag_alone() => Assert.Equal([0x32], WireCodec.Encode(new Goodbye()));

    [Fact]
    public void Envelope_is_header_strings_then_id_direct_flag_and_length_prefixed_ciphertext()
    {
        byte[] expected =
        [
            0x20,
            0x00, 0x02, (byte)'#', (byte)'r',
            0x00, 0x01, (byte)'a',
            0x00, 0x00,
            0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x02,
            0x01,
            0x00, 0x00, 0x00, 0x03, 0xAA, 0xBB, 0xCC,
        ];

        Assert.Equal(expected, WireCodec.Encode(new Envelope("#r", "a", "", 0x0102, true, [0xAA, 0xBB, 0xCC])));
    }

    [Fact]
    public void Server_hello_is_version_then_the_raw_challenge() =>
        Assert.Equal([0x01, 0x00, 0x01, .. Key32], WireCodec.Encode(new ServerHello(1, Key32)));

    [Fact]
    public void Hello_writes_the_identity_bundle_raw_in_record_order()
    {
        byte[] identity = [.. Key32, .. Key32, .. Sig64, 0x0A, 0x0B, 0x0C, 0x0D, .. Key32, .. Sig64];
        byte[] expected = [0x02, 0x00, 0x01, 0x00, 0x02, (byte)'h', (byte)'i', .. identity, .. Sig64];

        Assert.Equal(expected, WireCodec.Encode(new Hello(1, "hi", Identity, Sig64)));
    }

    [Fact]
    public void Room_joined_is_the_room_then_a_member_count_then_each_member()
    {
        byte[] identity = [.. Key32, .. Key32, .. Sig64, 0x0A, 0x0B, 0x0C, 0x0D, .. Key32, .. Sig64];
        byte[] expected =
        [
            0x12, 0x00, 0x01, (byte)'r', 0x00, 0x02,
            0x00, 0x01, (byte)'a', .. identity,
            0x00, 0x01, (byte)'b', .. identity,
        ];

        var message = new RoomJoined("r", [new MemberInfo("a", Identity), new MemberInfo("b", Identity)]);

        Assert.Equal(expected, WireCodec.Encode(message));
    }

    [Fact]
    public void Strings_are_counted_in_utf8_bytes_not_characters() =>
        Assert.Equal([0x03, 0x00, 0x03, 0xE4, 0xB8, 0xAD], WireCodec.Encode(new Welcome("中")));
}
