using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Entice.Crypto.Group;
using NSec.Cryptography;

namespace Entice.Tests.Crypto.Group;

/// <summary>
/// The sender-key vectors of docs/PROTOCOL-GROUPS.md. The frozen bytes were produced by this implementation
/// once and reviewed field by field; every step is also recomputed here independently (BCL HMAC, HKDF,
/// SHA-256 and ChaCha20-Poly1305, the libsignal chain vector, the RFC 8032 key pair), so the vectors do not
/// merely agree with themselves.
/// </summary>
public sealed class SenderKeyKnownAnswerSpecs
{
    // Inputs.
    private const string Room = "general";
    private const string Sender = "alice";
    private const ulong EnvelopeId = 42;
    private const ulong Epoch = 7;
    private const uint KeyId = 0x0a0b0c0d;
    private const uint Iteration = 5;
    private const string ChainKeyHex = "8ab72d6f4cc5ac0d387eaf463378ddb28edd07385b1cb01250c715982e7ad48f"; // libsignal ratchet/keys.rs
    private const string SeedHex = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"; // RFC 8032 7.1 test 1
    private const string Plaintext = "hello, room";

    // Independently known outputs.
    private const string NextChainKeyHex = "28e8f8fee54b801eef7c5cfb2f17f32c7b334485bbb70fac6ec10342a246d15d"; // libsignal
    private const string PublicKeyHex = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"; // RFC 8032 7.1 test 1

    // Frozen outputs, computed independently by sender_key_vectors.py (Python cryptography/OpenSSL) and reviewed.
    private const string MemberSetHashHex =
        "1b38ce6dd94d0d88e9af550a38312e3b5e59cb8f3ac2d5ef9620de5692e409da";
    private const string MessageKeyHex =
        "fae95235beda3d2e00b41cf2e655dada2405b4388cae0d251a51bcd2ebdd2e40";
    private const string KeyAndNonceHex =
        "bc10ccbd9890bade5c3e30cb71960bfbb2662a90d01c18eae812cbfe11c334f1d655330d4dab7a23cffe588e";
    private const string MessageHex =
        "110a0b0c0d0000000500000000000000071b38ce6dd94d0d88e9af550a38312e3b5e59cb8f3ac2d5ef9620de5692e409daa1b66c86a5de8da6f045a2456d02199e6a73137b023c1da1272e10a641499d6ef44f21e26b9f2a7bc621115ea3fd0591d82bda77d9c551cfcaa888a264cb6e7309f38217436e5cf0766f3d55f405697f206e060f9a1d6a62e024b9fecd406ca691d70c6b109a46445edf2c76cddc7b7baf08b743f64eb29718e09a60d2ba521d2869d4225ca55469e60e42a8b2c45203";
    private const string DistributionHex =
        "10000767656e6572616c0005616c6963650a0b0c0d000000058ab72d6f4cc5ac0d387eaf463378ddb28edd07385b1cb01250c715982e7ad48fd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a000000000000000700030005616c696365a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a10003626f62b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b000056361726f6cc0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0";

    private static readonly RosterMember[] Members =
    [
        new("alice", Filled(0xa1)),
        new("bob", Filled(0xb0)),
        new("carol", Filled(0xc0)),
    ];

    private static RosterView View => RosterView.Create(Epoch, Members);

    [Fact]
    public void The_member_set_hash_is_sha256_of_the_length_prefixed_sorted_members()
    {
        var encoding = Lp(Encoding.ASCII.GetBytes("Entice/v1/group-members"), U32(3),
            "alice"u8.ToArray(), Filled(0xa1), "bob"u8.ToArray(), Filled(0xb0), "carol"u8.ToArray(), Filled(0xc0));

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(encoding)), Convert.ToHexStringLower(View.MemberSetHash));
        Assert.Equal(MemberSetHashHex, Convert.ToHexStringLower(View.MemberSetHash));
    }

    [Fact]
    public void The_chain_step_and_key_derivation_match_independent_hmac_and_hkdf()
    {
        var chainKey = Convert.FromHexString(ChainKeyHex);
        var messageKey = HMACSHA256.HashData(chainKey, new byte[] { 0x01 });
        var (ours, next) = Entice.Crypto.Primitives.Kdf.ChainStep(chainKey);

        Assert.Equal(NextChainKeyHex, Convert.ToHexStringLower(HMACSHA256.HashData(chainKey, new byte[] { 0x02 })));
        Assert.Equal(NextChainKeyHex, Convert.ToHexStringLower(next));
        Assert.Equal(messageKey, ours);
        Assert.Equal(MessageKeyHex, Convert.ToHexStringLower(messageKey));

        var keyAndNonce = HKDF.DeriveKey(HashAlgorithmName.SHA256, messageKey, 44, new byte[32], Encoding.ASCII.GetBytes("Entice/v1/group-msg"));
        Assert.Equal(keyAndNonce, GroupCipher.KeyAndNonce(messageKey));
        Assert.Equal(KeyAndNonceHex, Convert.ToHexStringLower(keyAndNonce));
    }

    [Fact]
    public void The_message_is_header_then_chacha20_poly1305_body_then_an_ed25519_signature_recomputed_independently()
    {
        using var key = SenderKey.FromSecrets(Room, Sender, KeyId, Convert.FromHexString(ChainKeyHex), Iteration, Convert.FromHexString(SeedHex), View, GroupRoom.Now);
        Assert.Equal(PublicKeyHex, Convert.ToHexStringLower(key.SigningPublicKey));

        var message = key.Encrypt(Encoding.ASCII.GetBytes(Plaintext), EnvelopeId);

        // Header: 0x11 || key id || iteration || epoch || member-set hash.
        var header = new byte[49];
        header[0] = 0x11;
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(1), KeyId);
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(5), Iteration);
        BinaryPrimitives.WriteUInt64BigEndian(header.AsSpan(9), Epoch);
        View.MemberSetHash.CopyTo(header, 17);
        Assert.Equal(header, message[..49]);

        // Body: BCL ChaCha20-Poly1305 over Pad64(plaintext) with the documented AD.
        Assert.True(System.Security.Cryptography.ChaCha20Poly1305.IsSupported);
        var keyAndNonce = HKDF.DeriveKey(HashAlgorithmName.SHA256, HMACSHA256.HashData(Convert.FromHexString(ChainKeyHex), new byte[] { 0x01 }), 44, new byte[32], Encoding.ASCII.GetBytes("Entice/v1/group-msg"));
        var padded = new byte[64];
        Encoding.ASCII.GetBytes(Plaintext).CopyTo(padded, 0);
        padded[Plaintext.Length] = 0x80;
        var ad = Lp(Encoding.ASCII.GetBytes("Entice/v1/group-ad"), Encoding.ASCII.GetBytes(Room), Encoding.ASCII.GetBytes(Sender), U64(EnvelopeId), header);
        var ciphertext = new byte[64];
        var tag = new byte[16];
        using (var aead = new System.Security.Cryptography.ChaCha20Poly1305(keyAndNonce.AsSpan(0, 32)))
            aead.Encrypt(keyAndNonce.AsSpan(32), padded, ciphertext, tag, ad);
        Assert.Equal(ciphertext.Concat(tag).ToArray(), message[49..^64]);

        // Signature: RFC 8032 public key over the documented signed bytes.
        var signed = Lp(Encoding.ASCII.GetBytes("Entice/v1/group-sig"), Encoding.ASCII.GetBytes(Room), Encoding.ASCII.GetBytes(Sender), U64(EnvelopeId), message[..^64]);
        var publicKey = PublicKey.Import(SignatureAlgorithm.Ed25519, Convert.FromHexString(PublicKeyHex), KeyBlobFormat.RawPublicKey);
        Assert.True(SignatureAlgorithm.Ed25519.Verify(publicKey, signed, message.AsSpan(message.Length - 64)));

        Assert.Equal(49 + 64 + 16 + 64, message.Length);
        Assert.Equal(MessageHex, Convert.ToHexStringLower(message));
        Assert.Equal(Iteration + 1, key.Iteration);
    }

    [Fact]
    public void The_distribution_vector_is_the_documented_layout_and_a_receiver_reads_the_message_vector_with_it()
    {
        using var key = SenderKey.FromSecrets(Room, Sender, KeyId, Convert.FromHexString(ChainKeyHex), Iteration, Convert.FromHexString(SeedHex), View, GroupRoom.Now);
        var encoded = key.Distribution().Encode();

        var expected = new List<byte> { 0x10 };
        foreach (var field in new[] { Str(Room), Str(Sender), U32(KeyId), U32(Iteration), Convert.FromHexString(ChainKeyHex), Convert.FromHexString(PublicKeyHex), U64(Epoch), [0, 3],
                     Str("alice"), Filled(0xa1), Str("bob"), Filled(0xb0), Str("carol"), Filled(0xc0) })
            expected.AddRange(field);
        Assert.Equal(expected.ToArray(), encoded);
        Assert.Equal(DistributionHex, Convert.ToHexStringLower(encoded));

        using var receiver = new SenderKeyReceiver(Room, SenderKeyOptions.Default);
        Assert.Equal(DistributionOutcome.Accepted, receiver.Accept(SenderKeyDistribution.Parse(Convert.FromHexString(DistributionHex)).Distribution!, Sender));
        var result = receiver.Decrypt(Sender, EnvelopeId, Convert.FromHexString(MessageHex), View);
        Assert.True(result.Succeeded, result.ToString());
        Assert.Equal(Plaintext, Encoding.ASCII.GetString(result.Plaintext));
    }

    private static byte[] Filled(byte value) => Enumerable.Repeat(value, 32).ToArray();

    private static byte[] Lp(params byte[][] fields) =>
        fields.SelectMany(f => U32((uint)f.Length).Concat(f)).ToArray();

    private static byte[] Str(string s) => [.. U16((ushort)s.Length), .. Encoding.ASCII.GetBytes(s)];

    private static byte[] U16(ushort v)
    {
        var b = new byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(b, v);
        return b;
    }

    private static byte[] U32(uint v)
    {
        var b = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(b, v);
        return b;
    }

    private static byte[] U64(ulong v)
    {
        var b = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(b, v);
        return b;
    }
}
