using System.Text;
using FsCheck;
using FsCheck.Xunit;
using Entice.Crypto.Group;

namespace Entice.Tests.Crypto.Group;

public sealed class SenderKeyPropertySpecs
{
    /// <summary>
    /// The relay delivers a sender's messages in any order, each twice: every one decrypts exactly once with
    /// its own text, every copy is a replay.
    /// </summary>
    [Property(MaxTest = 30)]
    public bool Any_order_within_the_window_decrypts_every_message_exactly_once(int[] order, PositiveInt count)
    {
        var n = 1 + (count.Get % 60);
        using var room = new GroupRoom("alice", "bob");
        var bob = room.Receiver("bob", SenderKeyOptions.Default); // a window wider than the 60 messages
        using var alice = room.NewSenderKey("alice");
        var messages = Enumerable.Range(0, n).Select(i => (Id: (ulong)i, Bytes: alice.Encrypt(GroupRoom.Text($"m{i}"), (ulong)i))).ToList();

        // A permutation driven by the generated ints (Fisher-Yates), then every message again, reversed.
        var shuffled = messages.ToArray();
        for (var i = shuffled.Length - 1; i > 0; i--)
        {
            var j = (int)((uint)(order.Length == 0 ? i : order[i % order.Length]) % (uint)(i + 1));
            (shuffled[i], shuffled[j]) = (shuffled[j], shuffled[i]);
        }

        var read = new List<string>();
        foreach (var (id, bytes) in shuffled.Concat(shuffled.Reverse()))
        {
            var result = bob.Decrypt("alice", id, bytes, room.View);
            if (result.Succeeded)
                read.Add(Encoding.UTF8.GetString(result.Plaintext));
            else if (result.Failure != GroupDecryptFailure.Replay)
                return false;
        }

        return read.Count == n && read.Order(StringComparer.Ordinal).SequenceEqual(Enumerable.Range(0, n).Select(i => $"m{i}").Order(StringComparer.Ordinal));
    }

    /// <summary>Any one flipped bit is refused (never read, never thrown) and changes nothing: the original still reads.</summary>
    [Property(MaxTest = 100)]
    public bool Any_flipped_bit_fails_and_leaves_the_receiver_unchanged(int seed, NonEmptyString text)
    {
        using var room = new GroupRoom("alice", "bob");
        using var alice = room.NewSenderKey("alice");
        var bob = room.Receiver("bob");
        alice.Encrypt(GroupRoom.Text("skipped"), 0);
        var message = alice.Encrypt(Encoding.UTF8.GetBytes(text.Get), 1);
        var tampered = message.ToArray();
        var at = new Random(seed).Next(tampered.Length * 8); // spread over header, body and signature
        tampered[at / 8] ^= (byte)(1 << (at % 8));

        var result = bob.Decrypt("alice", 1, tampered, room.View);

        return !result.Succeeded && result.Plaintext is null
            && bob.SkippedKeyCount("alice") == 0
            && bob.Decrypt("alice", 1, message, room.View).Succeeded;
    }

    /// <summary>A message signed again by any other Ed25519 key (a member who holds the chain key, or the relay) is a bad signature.</summary>
    [Property(MaxTest = 20)]
    public bool A_message_resigned_by_another_key_fails(NonEmptyString text)
    {
        using var room = new GroupRoom("alice", "bob");
        using var alice = room.NewSenderKey("alice");
        var message = alice.Encrypt(GroupRoom.Text(text.Get.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)), 3);
        using var other = NSec.Cryptography.Key.Create(NSec.Cryptography.SignatureAlgorithm.Ed25519);
        var signedLength = message.Length - 64;
        NSec.Cryptography.SignatureAlgorithm.Ed25519.Sign(other, SenderKeySpecs.SignedBytes(GroupRoom.Name, "alice", 3, message.AsSpan(0, signedLength)), message.AsSpan(signedLength));

        return room.Receiver("bob").Decrypt("alice", 3, message, room.View).Failure == GroupDecryptFailure.BadSignature;
    }

    /// <summary>Whatever bytes arrive as a room message or a distribution, the answer is a classified failure, never an exception.</summary>
    [Property(MaxTest = 200)]
    public bool Garbage_is_classified_never_thrown(byte[] garbage, byte prefix)
    {
        using var room = new GroupRoom("alice", "bob");
        using var alice = room.NewSenderKey("alice");
        var asMessage = new[] { (byte)0x11 }.Concat(garbage).ToArray();
        var asDistribution = new[] { (byte)0x10 }.Concat(garbage).ToArray();
        var valid = alice.Distribution().Encode();
        var mutated = valid.ToArray();
        if (garbage.Length > 0)
            mutated[garbage[0] % mutated.Length] = prefix;
        var truncated = valid[..(garbage.Length % valid.Length)];

        var bob = room.Receiver("bob");
        return !bob.Decrypt("alice", 1, garbage, room.View).Succeeded
            && !bob.Decrypt("alice", 1, asMessage, room.View).Succeeded
            && !SenderKeyDistribution.Parse(garbage).Succeeded
            && !SenderKeyDistribution.Parse(asDistribution).Succeeded
            && !SenderKeyDistribution.Parse(truncated).Succeeded
            && SenderKeyDistribution.Parse(mutated) is { } parsed
            && (parsed.Succeeded || parsed.Failure is DistributionFailure.Malformed or DistributionFailure.BadSigningKey or DistributionFailure.BadRoster);
    }
}
