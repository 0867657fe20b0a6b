using System.Security.Cryptography;
using Entice.Crypto.Identity;
using Entice.Crypto.Primitives;
using Entice.Crypto.Ratchet;
using Entice.Wire;

namespace Entice.Tests.Crypto;

/// <summary>
/// Issue 17: the per-message path of <see cref="SessionBook"/> was rewritten for speed (header, padding and AEAD
/// in place, associated data on the stack from a per-session prefix, chain steps in place, HKDF from the zero
/// salt's precomputed HMAC state), and not one byte on the wire or in the saved state may change. The vector
/// below was printed by the build before the rewrite (commit 9bc24c3, <c>dotnet run -c Release --project
/// tests/Entice.Benchmarks -- ratchet-vector</c>): fixed identities, both books' saved state after a prekey
/// message and a reply, and the exact ciphertext an established session gives next in each direction (alice as
/// initiator, bob as responder: the two orders of the identities in the associated data).
/// </summary>
public sealed class SessionBookVectorSpecs
{
    private static readonly MessageContext AliceContext = new("lobby", "alice", "bob", Direct: true, EnvelopeId: 43);
    private static readonly MessageContext BobContext = new("lobby", "bob", "alice", Direct: false, EnvelopeId: 44);
    private static readonly MessageContext FirstContext = new("lobby", "alice", "bob", Direct: false, EnvelopeId: 41);

    [Fact]
    public void An_established_session_encrypts_to_the_frozen_bytes_in_both_directions()
    {
        using var alice = AliceIdentity();
        using var bob = BobIdentity();
        using var aliceBook = SessionBook.Import(alice, "alice", Hex(AliceState));
        using var bobBook = SessionBook.Import(bob, "bob", Hex(BobState));

        Assert.Equal(FromAlice, Convert.ToHexStringLower(aliceBook.Encrypt(BobKeys, AliceContext, Plaintext(256))));
        Assert.Equal(FromBob, Convert.ToHexStringLower(bobBook.Encrypt(AliceKeys, BobContext, Plaintext(100))));
    }

    [Fact]
    public void The_frozen_messages_open_in_both_directions_and_not_under_another_envelope_id()
    {
        using var alice = AliceIdentity();
        using var bob = BobIdentity();
        using var aliceBook = SessionBook.Import(alice, "alice", Hex(AliceState));
        using var bobBook = SessionBook.Import(bob, "bob", Hex(BobState));

        Assert.False(bobBook.Decrypt(AliceKeys, AliceContext with { EnvelopeId = 44 }, Hex(FromAlice)).Succeeded);
        var atBob = bobBook.Decrypt(AliceKeys, AliceContext, Hex(FromAlice));
        var atAlice = aliceBook.Decrypt(BobKeys, BobContext, Hex(FromBob));

        Assert.True(atBob.Succeeded, atBob.ToString());
        Assert.Equal(Plaintext(256), atBob.Plaintext);
        Assert.True(atAlice.Succeeded, atAlice.ToString());
        Assert.Equal(Plaintext(100), atAlice.Plaintext);
    }

    [Fact]
    public void The_frozen_prekey_message_starts_the_session_at_the_responder()
    {
        using var bob = BobIdentity();
        using var bobBook = SessionBook.Import(bob, "bob", Hex(BobBefore));

        var opened = bobBook.Decrypt(AliceKeys, FirstContext, Hex(First));

        Assert.True(opened.Succeeded, opened.ToString());
        Assert.Equal("first: a prekey message"u8.ToArray(), opened.Plaintext);
    }

    [Fact]
    public void Many_random_messages_round_trip_across_the_stack_and_heap_buffer_sizes()
    {
        using var alice = new Party("alice");
        using var bob = new Party("bob");
        // Names long enough to put the associated data past its stack buffer, and non-ASCII ones.
        string[] rooms = ["lobby", new string('r', 600), "küche-😀"];
        var lengths = new[] { 0, 1, 63, 64, 255, 256, 958, 959, 960, 1023, 1024, 4000 }.Concat(Enumerable.Range(0, 40).Select(_ => RandomNumberGenerator.GetInt32(0, 3000)));
        ulong envelope = 0;
        foreach (var length in lengths)
        {
            foreach (var room in rooms)
            {
                var plaintext = RandomNumberGenerator.GetBytes(length);
                var toBob = new MessageContext(room, "alice", "bob", Direct: length % 2 == 0, EnvelopeId: ++envelope);
                var toAlice = new MessageContext(room, "bob", "alice", Direct: false, EnvelopeId: ++envelope);
                var atBob = bob.Book.Decrypt(alice.Keys, toBob, alice.Book.Encrypt(bob.Keys, toBob, plaintext));
                Assert.True(atBob.Succeeded, atBob.ToString());
                Assert.Equal(plaintext, atBob.Plaintext);
                var atAlice = alice.Book.Decrypt(bob.Keys, toAlice, bob.Book.Encrypt(alice.Keys, toAlice, plaintext));
                Assert.True(atAlice.Succeeded, atAlice.ToString());
                Assert.Equal(plaintext, atAlice.Plaintext);
            }
        }
    }

    [Fact]
    public void A_context_that_is_not_valid_Unicode_is_refused_and_costs_no_message_key()
    {
        using var alice = new Party("alice");
        using var bob = new Party("bob");
        var good = new MessageContext("lobby", "alice", "bob", Direct: false, EnvelopeId: 1);
        Assert.True(bob.Book.Decrypt(alice.Keys, good, alice.Book.Encrypt(bob.Keys, good, "hello"u8)).Succeeded);

        Assert.Throws<CryptoException>(() => alice.Book.Encrypt(bob.Keys, good with { Room = "bad\ud800" }, "x"u8));
        var next = alice.Book.Encrypt(bob.Keys, good with { EnvelopeId = 2 }, "still in order"u8);
        Assert.Equal(1u, System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(next.AsSpan(70, 4))); // N: no key was spent

        Assert.Equal(DecryptFailure.Malformed, bob.Book.Decrypt(alice.Keys, good with { EnvelopeId = 2, Sender = "\udc00" }, next).Failure);
        var opened = bob.Book.Decrypt(alice.Keys, good with { EnvelopeId = 2 }, next);
        Assert.True(opened.Succeeded, opened.ToString());
    }

    private static PeerKeys AliceKeys => new("alice", new IdentityBundle(Hex("bc7cbcb5636375fa1d82434d466724d92377f53b980695dd49d26d0ce12205a5"), Hex("3c5c6ce2dd99e10d2c3de05d773aa15e3e6d971ed4e41389c93b4bbdda177212"),
        Hex("46610c9162d50b3f93462f376392756d207ac84926561879e91453ab1829e924" + "193122fd12d31a269c30cdff463de8b47d7ead9750f7b231d138313b440c130b"), 1, Hex("640673df55a906f4d7a85097d482b5a132b6a4baa4ce1936c9bd92df62e5a652"),
        Hex("b5bb765e16c07d347fbf84bc6a0c25c3d5539c532d5550a5e0ddcfd9ed751fe5" + "7d62d7dd3ab39bd178b790c6c395e8e418624ea5edf85eeedc3b34f41d4b1900")));

    private static PeerKeys BobKeys => new("bob", new IdentityBundle(Hex("4721b5b632272e65a68dda7ac25b4185f8b01916db185c14287db92e2b770fae"), Hex("db48257e1237976a74ad8cfedca00213408fe89ac6251f1b930245f242b5c31a"),
        Hex("672b782eb98eed5f63ba3aa9bc8943700e1d4cb60e0704dcb0060c2c5879d73d" + "d99a3b23d87dd5b1faf9f33cf2c7e9c5207317f33d362faa8121222ee1380801"), 7, Hex("aa8a1f55742992394f56c2a141894e9c02b4c8b31af85c923e1e2fd1a1c2f12d"),
        Hex("b810d4fdd6b9fa55325cf38622b03372e9b9721fb0cf1e23ba2de36b8c188135" + "7175d050c8ad04369f96f8b520eb79f29d158ee93e78adb755845653facce00e")));

    private static IdentityKeys AliceIdentity() => IdentityKeys.Import(Fill(0xA1), Fill(0xA2));

    private static IdentityKeys BobIdentity() => IdentityKeys.Import(Fill(0xB1), Fill(0xB2));

    private static byte[] Fill(byte value) => Enumerable.Repeat(value, 32).ToArray();

    private static byte[] Plaintext(int length) => Enumerable.Range(0, length).Select(i => (byte)((7 * i) + 3)).ToArray();

    private static byte[] Hex(string hex) => Convert.FromHexString(hex);

    private const string BobBefore =
        "454e53420200000003626f624721b5b632272e65a68dda7ac25b4185f8b01916db185c14287db92e2b770faedb48257e1237976a74ad8cfedca00213"
        + "408fe89ac6251f1b930245f242b5c31a0000000000000000000000010000000705702a99b70664cbb59b19abc293363c111df874c87a683a0878abec"
        + "4231162a00000040b810d4fdd6b9fa55325cf38622b03372e9b9721fb0cf1e23ba2de36b8c1881357175d050c8ad04369f96f8b520eb79f29d158ee9"
        + "3e78adb755845653facce00e00000000000000000000000001000000000000000000000000000000000000000000000000520cdb70b75eb876499f5a"
        + "4e11e4042ad85110560b0cb3b719e718763d3f146f";
    private const string First =
        "0301a75e08d1d471313563ac9a1bb8f4593c3214212b442c341a885829f7ade65b45d73f7070c7113ab9f7bf27b44bff5e7bf34a992d3312c8a76edc"
        + "f89af1b60800000000000000000000000007000000008c1db7274133a646765c125b3a74ed22636a79131f88b3eebb6532603ede91a4a7c608d07fa4"
        + "962d9a5217cec1bead24797d72123154fe7ca51dde78d6d9a87d9a1cd09e742daffd70e95bbb00bf2b78";
    private const string AliceState =
        "454e53420200000005616c696365bc7cbcb5636375fa1d82434d466724d92377f53b980695dd49d26d0ce12205a53c5c6ce2dd99e10d2c3de05d773a"
        + "a15e3e6d971ed4e41389c93b4bbdda177212000000000000000100000001000000010698109dda73311377b995cf35ea1142c9ae01623a7c4757bb86"
        + "9ec3c1d9e73f00000040b5bb765e16c07d347fbf84bc6a0c25c3d5539c532d5550a5e0ddcfd9ed751fe57d62d7dd3ab39bd178b790c6c395e8e41862"
        + "4ea5edf85eeedc3b34f41d4b190000000000000000000000000001000000000000000100000003626f62a75e08d1d471313563ac9a1bb8f4593c3214"
        + "212b442c341a885829f7ade65b450100000000000000004721b5b632272e65a68dda7ac25b4185f8b01916db185c14287db92e2b770faedb48257e12"
        + "37976a74ad8cfedca00213408fe89ac6251f1b930245f242b5c31a00000040672b782eb98eed5f63ba3aa9bc8943700e1d4cb60e0704dcb0060c2c58"
        + "79d73dd99a3b23d87dd5b1faf9f33cf2c7e9c5207317f33d362faa8121222ee138080100000007aa8a1f55742992394f56c2a141894e9c02b4c8b31a"
        + "f85c923e1e2fd1a1c2f12d00000007000000000001ebb7447bc9cd79aa322d183f669c6d81de434fdc7afa64617281a0bbac077f5ee11273b63bb46a"
        + "976fd67e5cee5798608b4067380cb3c3d5823bba64aac3b688026309efddfd79e9dd6c3cc48a9c078c47a1d6a24074a0a40c45f2ffaedd075c01e352"
        + "cb7d3ed3384aa71fdf172c2eab02785180c6ef43406a2de54a4e6b01feef01fce337754405874c555e1df6b6d1f6f758551c25a525fcb308e9f0a380"
        + "122610018ebe02688be69fb186be995c5e6d9c2e2d35a1eb5d0fabe561ec9a4ff346763400000000000000010000000100000001aa8a1f5574299239"
        + "4f56c2a141894e9c02b4c8b31af85c923e1e2fd1a1c2f12d0000000100000003626f62a75e08d1d471313563ac9a1bb8f4593c3214212b442c341a88"
        + "5829f7ade65b4500000000000000000000000060ebbeecefa116ad96424fe7afac8843f76178bab738d15b28bb8422e62bc5b5";
    private const string BobState =
        "454e53420200000003626f624721b5b632272e65a68dda7ac25b4185f8b01916db185c14287db92e2b770faedb48257e1237976a74ad8cfedca00213"
        + "408fe89ac6251f1b930245f242b5c31a0000000000000001000000010000000705702a99b70664cbb59b19abc293363c111df874c87a683a0878abec"
        + "4231162a00000040b810d4fdd6b9fa55325cf38622b03372e9b9721fb0cf1e23ba2de36b8c1881357175d050c8ad04369f96f8b520eb79f29d158ee9"
        + "3e78adb755845653facce00e00000000000000000000000001000000000000000100000005616c696365a75e08d1d471313563ac9a1bb8f4593c3214"
        + "212b442c341a885829f7ade65b45000000000000000000bc7cbcb5636375fa1d82434d466724d92377f53b980695dd49d26d0ce12205a53c5c6ce2dd"
        + "99e10d2c3de05d773aa15e3e6d971ed4e41389c93b4bbdda1772120000004046610c9162d50b3f93462f376392756d207ac84926561879e91453ab18"
        + "29e924193122fd12d31a269c30cdff463de8b47d7ead9750f7b231d138313b440c130b00000001640673df55a906f4d7a85097d482b5a132b6a4baa4"
        + "ce1936c9bd92df62e5a65200000007000000000000cf56cd2a9bdb3a457c4351af4a5935d5d332216f27e2a9a7c573937cc7d5014d43545dbfbc1973"
        + "2c1c77d1639c7ee4aa876ec58f5616f4c988010c6918dd5e62fce337754405874c555e1df6b6d1f6f758551c25a525fcb308e9f0a380122610018ebe"
        + "02688be69fb186be995c5e6d9c2e2d35a1eb5d0fabe561ec9a4ff346763401d73f7070c7113ab9f7bf27b44bff5e7bf34a992d3312c8a76edcf89af1"
        + "b6080001d2b7b50fbc1e6b968f3ec9a1acea86d87b0690ea540f7ac2b7711ba618aef36e000000010000000100000000000000000000000100000005"
        + "616c696365a75e08d1d471313563ac9a1bb8f4593c3214212b442c341a885829f7ade65b45000000000000000000000000db61e7052c8a008b5044d0"
        + "fd9676f003a97bdf1ca52ab8b86f224dc67f4f8957";
    private const string FromAlice =
        "0300a75e08d1d471313563ac9a1bb8f4593c3214212b442c341a885829f7ade65b45026309efddfd79e9dd6c3cc48a9c078c47a1d6a24074a0a40c45"
        + "f2ffaedd075c00000001000000005a6de3c483d439b12c58d59696021153e6b43d50ae622f7b2231451aaa915f273cd365e7b8d560639f72dd4634de"
        + "c3e5fe587cc90a087e7b7edfe3c268738a099e9fd507b1b9132cdb09b9a8f06eb77c0cc5f374613dca1fda757749767770d48e0d1c337a2cadaa3b3e"
        + "c3258360f97658a6affb2797d98ce23b796aaf751cb1cd7655ce42a0db3d1ed4e9bd67c780a9d4d50713598305cc58598db5e57e7ea9c28257d8f2a2"
        + "6d8640c1ed884f2b526057ed2177d3e4a39610f88a8c30b8c3402fd0c899547687f20c6a07029d86b62408af90934fc86ac1a61e5fa4fe133244916b"
        + "47e80dabe7138f3a6f6dfdd658ecede6aeebc675168d06b423d00ad3da28e191b2500abe6ef8bd109dd29aef8347a8c44bee870973c1e4de9c8b4f30"
        + "8067383c1c97d373cd7766cef702e8fe179b7daee24ddf89a5a368e27280df39af7b2f9bf860ac6659b8d730474ace164ca3";
    private const string FromBob =
        "0300a75e08d1d471313563ac9a1bb8f4593c3214212b442c341a885829f7ade65b45fce337754405874c555e1df6b6d1f6f758551c25a525fcb308e9"
        + "f0a380122610000000000000000166524b6e4a8ac689b62c7a3f708687a6b5e57233073d7f1cdfdda4f86b41a274431e02e879b376cc11e207fe6810"
        + "92054cb6e2a8ff63a22de028bce68022f8ccbb919b76db3afac70ddfd2eb4f6a5dba2326e826f3296fbeda460acdc140cb7abf71485cac5ffbaed932"
        + "2e102a95a6b1d381a9cbdc8893cb43ee3ed3c8be68d732d3c06caa3a21ea10859ae4349df8ac";
}
