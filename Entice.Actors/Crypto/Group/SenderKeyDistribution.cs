using System.Buffers;
using System.Buffers.Binary;
using Entice.Crypto.Primitives;
using Entice.Wire;
using NSec.Cryptography;

namespace Entice.Crypto.Group;

/// <summary>
/// What a sender hands each member over their pairwise Double Ratchet session (so it is authenticated by the
/// sender's identity and secret from the relay). One encoding per value, strictly length-checked:
/// <code>
/// 0x10 || room (u16 BE length, UTF-8) || sender (u16, UTF-8) || key id (u32 BE) || iteration (u32 BE)
///      || chain key (32) || signing public key (32) || epoch (u64 BE) || count (u16 BE, 1..1024)
///      || count x ( name (u16, UTF-8) || fingerprint (32) )        members in ordinal order, no trailing bytes
/// </code>
/// The first byte tells it from a ChatPlaintext (0x01, 0x02) inside the pairwise plaintext. The member list
/// is the sender's roster the key was made for: a receiver whose own view differs can name the difference.
/// </summary>
public sealed class SenderKeyDistribution
{
    public const byte Version = 0x10;

    private const int KeySize = 32;

    public SenderKeyDistribution(string room, string sender, uint keyId, uint iteration, byte[] chainKey, byte[] signingKey, ulong epoch, IReadOnlyList<RosterMember> members)
    {
        Room = room;
        Sender = sender;
        KeyId = keyId;
        Iteration = iteration;
        ChainKey = chainKey;
        SigningKey = signingKey;
        Epoch = epoch;
        Members = members;
    }

    public string Room { get; }

    public string Sender { get; }

    public uint KeyId { get; }

    /// <summary>The iteration <see cref="ChainKey"/> is at: the first message this receiver can read.</summary>
    public uint Iteration { get; }

    /// <summary>Secret. Wiped by the receiver once taken over (<see cref="SenderKeyReceiver.Accept"/>).</summary>
    public byte[] ChainKey { get; }

    /// <summary>The sender key's Ed25519 public key (validated on parse).</summary>
    public byte[] SigningKey { get; }

    public ulong Epoch { get; }

    /// <summary>The sender's member list, in canonical order.</summary>
    public IReadOnlyList<RosterMember> Members { get; }

    public byte[] Encode()
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        buffer.Write([Version]);
        WriteString(buffer, Room);
        WriteString(buffer, Sender);
        WriteU32(buffer, KeyId);
        WriteU32(buffer, Iteration);
        buffer.Write(ChainKey);
        buffer.Write(SigningKey);
        Span<byte> epoch = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(epoch, Epoch);
        buffer.Write(epoch);
        Span<byte> count = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(count, checked((ushort)Members.Count));
        buffer.Write(count);
        foreach (var member in Members)
        {
            WriteString(buffer, member.Name);
            buffer.Write(member.Fingerprint);
        }

        var bytes = buffer.WrittenSpan.ToArray();
        buffer.Clear(); // zeroes the copy of the chain key
        return bytes;
    }

    /// <summary>Parses and validates a distribution; never throws, whatever the bytes.</summary>
    public static DistributionParseResult Parse(ReadOnlySpan<byte> bytes)
    {
        var reader = new WireReader(bytes);
        if (!reader.TryReadByte("version", out var version) || version != Version)
            return DistributionParseResult.Fail(DistributionFailure.Malformed, "not a sender-key distribution");
        if (!reader.TryReadString("room", out var room)
            || !reader.TryReadString("sender", out var sender)
            || !reader.TryReadU32("key id", out var keyId)
            || !reader.TryReadU32("iteration", out var iteration)
            || !reader.TryReadFixed("chain key", KeySize, out var chainKey)
            || !reader.TryReadFixed("signing key", KeySize, out var signingKey)
            || !reader.TryReadU64("epoch", out var epoch)
            || !reader.TryReadU16("member count", out var count))
            return DistributionParseResult.Fail(DistributionFailure.Malformed, reader.Error ?? "truncated");

        if (count is 0 or > WireLimits.MaxMembers || count > reader.Remaining / (2 + KeySize))
        {
            Kdf.Wipe(chainKey);
            return DistributionParseResult.Fail(DistributionFailure.Malformed, "member count out of range");
        }

        var members = new RosterMember[count];
        for (var i = 0; i < count; i++)
        {
            if (!reader.TryReadString("member name", out var name) || !reader.TryReadFixed("member fingerprint", RosterMember.FingerprintSize, out var fingerprint))
            {
                Kdf.Wipe(chainKey);
                return DistributionParseResult.Fail(DistributionFailure.Malformed, reader.Error ?? "truncated");
            }

            members[i] = new RosterMember(name, fingerprint);
        }

        var problem = reader.Remaining != 0 ? DistributionFailure.Malformed
            : !Names.IsValidRoom(room) || !Names.IsValidName(sender) ? DistributionFailure.Malformed
            : keyId == 0 || iteration == uint.MaxValue ? DistributionFailure.Malformed
            : !IsUsableSigningKey(signingKey) ? DistributionFailure.BadSigningKey
            : (DistributionFailure?)null;
        if (problem is { } failure)
        {
            Kdf.Wipe(chainKey);
            return DistributionParseResult.Fail(failure, failure == DistributionFailure.BadSigningKey ? "the signing key is not a usable Ed25519 key" : "trailing bytes, a bad name or a bad key id");
        }

        if (!RosterView.TryCreate(epoch, members, requireSorted: true, out var roster, out var rosterProblem) || !roster.Contains(sender))
        {
            Kdf.Wipe(chainKey);
            return DistributionParseResult.Fail(DistributionFailure.BadRoster, rosterProblem ?? "the sender is not in its own member list");
        }

        return DistributionParseResult.Success(new SenderKeyDistribution(room, sender, keyId, iteration, chainKey, signingKey, epoch, roster.Members));
    }

    internal static bool IsUsableSigningKey(ReadOnlySpan<byte> key) =>
        PublicKeyCheck.IsUsableEd25519(key) && PublicKey.TryImport(SignatureAlgorithm.Ed25519, key, KeyBlobFormat.RawPublicKey, out _);

    private static void WriteString(ArrayBufferWriter<byte> buffer, string value)
    {
        var bytes = StrictUtf8.GetBytes(value);
        if (bytes.Length > WireLimits.MaxStringBytes)
            throw new ArgumentException("A name is too long for a distribution message.", nameof(value));
        Span<byte> length = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(length, (ushort)bytes.Length);
        buffer.Write(length);
        buffer.Write(bytes);
    }

    private static void WriteU32(ArrayBufferWriter<byte> buffer, uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        buffer.Write(bytes);
    }

    // The chain key is the secret: never print it.
    public override string ToString() => $"SenderKeyDistribution({Room}, {Sender}, id {KeyId}, #{Iteration}, epoch {Epoch}, {Members.Count} members)";
}
