using System.Security.Cryptography;
using Entice.Crypto.Identity;
using Entice.Crypto.Primitives;
using Entice.Crypto.Ratchet;

namespace Entice.Tests.Crypto;

/// <summary>
/// Issue 17: the span forms the per-message path now uses must give exactly the bytes of the array forms (which
/// the known-answer specs pin), in place too, and must leave no plaintext behind when a tag does not verify.
/// </summary>
public sealed class HotPathPrimitiveSpecs
{
    [Fact]
    public void A_chain_step_into_spans_and_in_place_gives_the_array_forms_keys()
    {
        for (var i = 0; i < 200; i++)
        {
            var chain = RandomNumberGenerator.GetBytes(32);
            var (messageKey, nextChain) = Kdf.ChainStep(chain);
            var inPlace = (byte[])chain.Clone();
            var message = new byte[32];

            Kdf.ChainStepInto(inPlace, message, inPlace);

            Assert.Equal(messageKey, message);
            Assert.Equal(nextChain, inPlace);
        }
    }

    [Fact]
    public void Hkdf_from_the_precomputed_zero_salt_state_matches_NSec_HKDF_for_any_key_info_and_length()
    {
        for (var length = 1; length <= 64; length++)
        {
            var ikm = RandomNumberGenerator.GetBytes(32);
            var info = RandomNumberGenerator.GetBytes(length % 20);
            var output = new byte[length];

            Kdf.HkdfZeroSaltInto(ikm, info, output);

            Assert.Equal(Kdf.Hkdf(ikm, KdfLabels.ZeroSalt, info, length), output);
        }
    }

    [Fact]
    public void Sealing_in_place_gives_Seal_bytes_and_opening_into_a_buffer_gives_Open_bytes()
    {
        foreach (var paddedLength in new[] { 64, 320, 1024, 4096 })
        {
            var key = RandomNumberGenerator.GetBytes(32);
            var ad = RandomNumberGenerator.GetBytes(paddedLength / 3);
            var padded = RandomNumberGenerator.GetBytes(paddedLength);
            var buffer = new byte[paddedLength + MessageCipher.TagSize];
            padded.CopyTo(buffer, 0);

            MessageCipher.SealInPlace(key, ad, buffer, KdfLabels.Message);

            Assert.Equal(MessageCipher.Seal(key, ad, padded), buffer);
            var opened = new byte[paddedLength];
            Assert.True(MessageCipher.OpenInto(key, ad, buffer, opened, KdfLabels.Message));
            Assert.Equal(padded, opened);
        }
    }

    [Fact]
    public void A_body_that_does_not_authenticate_leaves_the_callers_buffer_all_zero()
    {
        var key = RandomNumberGenerator.GetBytes(32);
        var sealedBody = MessageCipher.Seal(key, "ad"u8, RandomNumberGenerator.GetBytes(128));
        sealedBody[3] ^= 1;
        var opened = Enumerable.Repeat((byte)0xEE, 128).ToArray();

        Assert.False(MessageCipher.OpenInto(key, "ad"u8, sealedBody, opened, KdfLabels.Message));

        Assert.All(opened, b => Assert.Equal(0, b));
    }

    [Fact]
    public void The_associated_data_written_from_a_session_prefix_is_the_length_prefixed_associated_data()
    {
        var initiator = new PublicIdentity(RandomNumberGenerator.GetBytes(32), RandomNumberGenerator.GetBytes(32), []);
        var responder = new PublicIdentity(RandomNumberGenerator.GetBytes(32), RandomNumberGenerator.GetBytes(32), []);
        var prefix = MessageCipher.AssociatedDataPrefix(initiator, responder);
        string[] names = ["", "bob", "k\u00fcche", "\U0001F600 emoji", new string('x', 700)];
        ulong id = 0;
        foreach (var room in names)
        {
            foreach (var sender in names)
            {
                var header = RandomNumberGenerator.GetBytes(RatchetHeader.OrdinarySize + (sender.Length % 2 * 8));
                var ctx = new MessageContext(room, sender, "carol", Direct: room.Length % 2 == 0, EnvelopeId: id++ * 0x0101010101010101UL);
                var written = new byte[MessageCipher.AssociatedDataLength(prefix, header.Length, ctx)];

                MessageCipher.WriteAssociatedData(written, prefix, header, ctx);

                Assert.Equal(MessageCipher.AssociatedData(initiator, responder, header, ctx), written);
            }
        }

        Assert.Equal(-1, MessageCipher.AssociatedDataLength(prefix, 74, new MessageContext("lobby", "\ud800", "bob", false)));
    }

    [Fact]
    public void Padding_into_a_used_buffer_gives_Pad_bytes()
    {
        foreach (var length in new[] { 0, 1, 63, 64, 65, 300 })
        {
            var data = RandomNumberGenerator.GetBytes(length);
            var buffer = Enumerable.Repeat((byte)0xAB, Padding.PaddedLength(length)).ToArray();

            Padding.PadInto(data, buffer);

            Assert.Equal(Padding.Pad(data), buffer);
        }
    }

    [Fact]
    public void Key_equality_sees_a_difference_in_any_byte_of_a_32_byte_key_and_in_the_length()
    {
        var key = RandomNumberGenerator.GetBytes(32);
        Assert.True(KeyEquality.Same(key, (byte[])key.Clone()));
        for (var i = 0; i < 32; i++)
        {
            foreach (var bit in new byte[] { 0x01, 0x80 })
            {
                var other = (byte[])key.Clone();
                other[i] ^= bit;
                Assert.False(KeyEquality.Same(key, other));
                Assert.False(KeyEquality.Same(other, key));
            }
        }

        Assert.False(KeyEquality.Same(key, key.AsSpan(0, 31)));
        Assert.False(KeyEquality.Same(key, [.. key, 0]));
        Assert.True(KeyEquality.Same(key.AsSpan(0, 16), key.AsSpan(0, 16).ToArray()));
    }
}
