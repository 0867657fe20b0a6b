using System.Security.Cryptography;
using NSec.Cryptography;
using static Entice.Tests.Crypto.Wire;
using Entice.Crypto.Ratchet;
using Entice.Crypto.Identity;
using Entice.Crypto.Primitives;

namespace Entice.Tests.Crypto;

/// <summary>
/// What issue 10 added to the session crypto: the envelope id in the AD (known answers computed independently
/// with Python's cryptography package), HMAC without key imports (against the platform and NSec), the small
/// skip limit for session starts, persisted per-conversation send sequences, and a non-destructive renewal.
/// </summary>
public sealed class EnvelopeBindingSpecs : IDisposable
{
    private readonly Party _alice = new("alice");
    private readonly Party _bob = new("bob");

    private static MessageContext Context(ulong id) => new("lobby", "alice", "bob", Direct: false, EnvelopeId: id);

    [Fact]
    public void The_associated_data_binds_the_envelope_id_as_the_last_field_known_answer()
    {
        byte[] header = [.. Enumerable.Range(0, 74).Select(i => (byte)i)];
        var ad = MessageCipher.AssociatedData(
            new PublicIdentity(Fill(1), Fill(2), []), new PublicIdentity(Fill(3), Fill(4), []), header,
            new MessageContext("lobby", "alice", "bob", Direct: true, EnvelopeId: 0x0102030405060708));

        Assert.Equal("d2f7722ba031927f2a8e883de57da1b1b058ad002f52007a33ad1502627e0711", Convert.ToHexStringLower(SHA256.HashData(ad)));
        Assert.EndsWith("0000000101000000080102030405060708", Convert.ToHexStringLower(ad), StringComparison.Ordinal);
        byte[] padded = [0x80, .. new byte[63]];
        Assert.Equal(
            "c121233ece7bd593e6e0d0071b09c976033612bbc232389f2619f877bf068993829e424b4a51a7e7ee9a868ca0e9d722f908c64c71beac1819e3384e0dac512a3e5650c41791122a02f8fcb26b9507ee",
            Convert.ToHexStringLower(MessageCipher.Seal(Fill(0x11), ad, padded)));
    }

    [Fact]
    public void Hmac_is_HMAC_SHA256_for_any_key_and_data()
    {
        Assert.Equal("198a607eb44bfbc69903a0f1cf2bbdc5ba0aa3f3d9ae3c1c7a3b1696a0b68cf7",
            Convert.ToHexStringLower(Kdf.Hmac(Fill(0x0b), "Hi There"u8)));
        for (var i = 0; i < 300; i++)
        {
            var key = RandomNumberGenerator.GetBytes(32);
            var data = RandomNumberGenerator.GetBytes(i);
            using var nsecKey = Key.Import(MacAlgorithm.HmacSha256, key, KeyBlobFormat.RawSymmetricKey);
            Assert.Equal(HMACSHA256.HashData(key, data), Kdf.Hmac(key, data));
            Assert.Equal(MacAlgorithm.HmacSha256.Mac(nsecKey, data), Kdf.Hmac(key, data));
        }
    }

    [Fact]
    public void A_ciphertext_opens_only_under_the_envelope_id_it_was_sealed_with_and_a_wrong_one_changes_nothing()
    {
        var first = _alice.Book.Encrypt(_bob.Keys, Context(7), Text("seven"));
        var before = _bob.Book.Export();

        Assert.Equal(DecryptFailure.Invalid, _bob.Book.Decrypt(_alice.Keys, Context(8), first).Failure);
        Assert.Equal(before, _bob.Book.Export());
        AssertDecryptsTo("seven", _bob.Book.Decrypt(_alice.Keys, Context(7), first));
    }

    [Fact]
    public void A_session_start_may_skip_only_a_few_keys_and_is_refused_before_any_DH()
    {
        byte[] last = [];
        for (var i = 0; i <= SessionBook.DefaultMaxSkipNewSession + 1; i++)
            last = Send(_alice, _bob, $"m{i}");
        var before = _bob.Book.Export();

        Assert.Equal(DecryptFailure.TooFarAhead, Receive(_bob, _alice, last).Failure);
        Assert.Equal(before, _bob.Book.Export());
        Assert.True(_bob.Book.StartsNewSession("alice", last));
    }

    [Fact]
    public void Send_sequences_count_per_peer_and_conversation_and_survive_a_restart()
    {
        Assert.Equal(1UL, _alice.Book.NextSendSequence("bob", "#lobby"));
        Assert.Equal(2UL, _alice.Book.NextSendSequence("bob", "#lobby"));
        Assert.Equal(1UL, _alice.Book.NextSendSequence("bob", "#games"));
        Assert.Equal(1UL, _alice.Book.NextSendSequence("carol", "#lobby"));
        var direct = new MessageContext("lobby", "alice", "bob", Direct: true).Conversation;
        Assert.Equal(direct, new MessageContext("games", "bob", "alice", Direct: true).Conversation);
        Assert.Equal(1UL, _alice.Book.NextSendSequence("bob", direct));

        _alice.Restart();

        Assert.Equal(3UL, _alice.Book.NextSendSequence("bob", "#lobby"));
        Assert.Equal(2UL, _alice.Book.NextSendSequence("bob", direct));
    }

    [Fact]
    public void Renewing_the_sending_session_starts_a_new_one_and_the_old_one_still_receives()
    {
        AssertDecryptsTo("hi", Receive(_bob, _alice, Send(_alice, _bob, "hi")));
        AssertDecryptsTo("hello", Receive(_alice, _bob, Send(_bob, _alice, "hello")));
        var inFlight = Send(_alice, _bob, "in flight");

        _bob.Book.RenewSendingSession("alice");
        var renewed = Send(_bob, _alice, "new session");

        Assert.NotEqual(0, Kind(renewed)); // a prekey message: X3DH again
        AssertDecryptsTo("in flight", Receive(_bob, _alice, inFlight));
        AssertDecryptsTo("new session", Receive(_alice, _bob, renewed));
        AssertDecryptsTo("on the new one", Receive(_bob, _alice, Send(_alice, _bob, "on the new one")));
    }

    private static byte[] Fill(byte value) => Enumerable.Repeat(value, 32).ToArray();

    public void Dispose()
    {
        _alice.Dispose();
        _bob.Dispose();
    }
}
