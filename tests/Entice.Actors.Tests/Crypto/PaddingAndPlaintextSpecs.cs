using Entice.Crypto.Primitives;
using Entice.Crypto.Ratchet;

namespace Entice.Tests.Crypto;

public sealed class PaddingAndPlaintextSpecs
{
    [Theory]
    [InlineData(0, 64)]
    [InlineData(1, 64)]
    [InlineData(63, 64)]
    [InlineData(64, 128)]
    [InlineData(127, 128)]
    [InlineData(128, 192)]
    public void Padding_rounds_up_to_the_next_block_with_at_least_one_pad_byte(int length, int paddedLength)
    {
        var data = Enumerable.Repeat((byte)0x80, length).ToArray();

        var padded = Padding.Pad(data);

        Assert.Equal(paddedLength, padded.Length);
        Assert.Equal(0x80, padded[length]);
        Assert.Equal(data, Padding.Unpad(padded));
    }

    public static TheoryData<byte[]> BadPadding()
    {
        var noMarker = new byte[64];
        var wrongMarker = new byte[64];
        wrongMarker[10] = 0x81;
        var notABlock = Padding.Pad([1, 2, 3])[..63];
        var trailingByte = Padding.Pad([1, 2, 3]);
        trailingByte[63] = 0x01;
        var tooLong = new byte[128];
        tooLong[3] = 0x80;
        return new TheoryData<byte[]> { Array.Empty<byte>(), noMarker, wrongMarker, notABlock, trailingByte, tooLong };
    }

    [Theory]
    [MemberData(nameof(BadPadding))]
    public void Bad_padding_is_rejected(byte[] padded)
    {
        Assert.False(Padding.TryUnpad(padded, out _));
        Assert.Throws<CryptoException>(() => Padding.Unpad(padded));
    }

    [Fact]
    public void Chat_plaintext_encodes_version_sequence_time_and_text_big_endian()
    {
        var message = new ChatPlaintext(0x0102030405060708, -2, "hé");

        var encoded = message.Encode();

        Assert.Equal(
            new byte[] { 0x01, 1, 2, 3, 4, 5, 6, 7, 8, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFE, (byte)'h', 0xC3, 0xA9 },
            encoded);
        Assert.True(ChatPlaintext.TryDecode(encoded, out var decoded));
        Assert.Equal(message, decoded);
    }

    [Fact]
    public void Chat_plaintext_rejects_unknown_versions_short_input_and_invalid_utf8()
    {
        var good = new ChatPlaintext(1, 2, "ok").Encode();
        byte[] wrongVersion = [0x02, .. good[1..]];
        byte[] overlong = [.. good[..17], 0xC0, 0xAF];
        byte[] loneSurrogate = [.. good[..17], 0xED, 0xA0, 0x80];

        Assert.False(ChatPlaintext.TryDecode(wrongVersion, out _));
        Assert.False(ChatPlaintext.TryDecode(good.AsSpan(0, 16), out _));
        Assert.False(ChatPlaintext.TryDecode([], out _));
        Assert.False(ChatPlaintext.TryDecode(overlong, out _));
        Assert.False(ChatPlaintext.TryDecode(loneSurrogate, out _));
        Assert.Throws<CryptoException>(() => new ChatPlaintext(1, 2, "\ud800").Encode());
    }

    [Fact]
    public void Chat_plaintext_never_prints_its_text()
    {
        var message = new ChatPlaintext(7, 0, "my password is hunter2");

        Assert.DoesNotContain("hunter2", message.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_receipt_round_trips_and_cannot_pass_for_text()
    {
        var receipt = ChatPlaintext.Receipt(7, 1000, [1UL, ulong.MaxValue]);

        Assert.True(ChatPlaintext.TryDecode(receipt.Encode(), out var decoded));

        Assert.Equal([1UL, ulong.MaxValue], decoded!.ReceiptFor);
        Assert.Equal("", decoded.Text);
        var truncated = receipt.Encode()[..^1];
        Assert.False(ChatPlaintext.TryDecode(truncated, out _));
    }
}
