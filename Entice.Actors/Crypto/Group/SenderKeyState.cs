using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using Entice.Crypto.Primitives;
using Entice.Wire;

namespace Entice.Crypto.Group;

/// <summary>
/// The saved form of a client's sender keys (<c>senderkeys.bin</c> in the key directory, sealed like the other
/// secret files): its own sender key per room and, per room, what it holds of the others'. Each key is stored
/// as its distribution message at its current iteration (<see cref="SenderKeyDistribution"/>: one encoding,
/// strictly parsed and validated again on load), so a restart resumes each chain where it was:
/// <code>
/// "ESK" 0x01
/// u16 own count,      each: createdAt (i64 BE, unix ms) || first iteration (u32) || signing seed (32) || blob32(distribution)
/// u16 room count,     each: room (u16 + UTF-8) || u16 sender count (≤ 1024),
///                     each: sender (u16 + UTF-8) || u8 key count (1..2) || key count x blob32(distribution)
///                           || u16 skipped count (the newest max-skipped-kept are kept) || each: key id (u32) || iteration (u32) || message key (32)
/// </code>
/// <see cref="TryImport"/> never throws on the bytes: a damaged file is a named problem, never a crash.
/// </summary>
public static class SenderKeyState
{
    private static readonly byte[] Magic = [(byte)'E', (byte)'S', (byte)'K', 0x01];
    private const int SeedSize = 32;
    private const int KeySize = 32;

    /// <summary>Encodes the state; the result holds secrets: the caller (the key writer) zeroes it after the write.</summary>
    /// <param name="reservation">Our own chains are saved this many iterations ahead (issue 17; see <see cref="SenderKey.SavedDistribution"/>).</param>
    public static byte[] Export(IEnumerable<SenderKey> own, IEnumerable<SenderKeyReceiver> receivers, int reservation = 0)
    {
        ArgumentNullException.ThrowIfNull(own);
        ArgumentNullException.ThrowIfNull(receivers);
        var buffer = new ArrayBufferWriter<byte>(1024);
        try
        {
            buffer.Write(Magic);
            var owned = own.Where(k => k.Iteration != uint.MaxValue).ToList();
            U16(buffer, owned.Count);
            foreach (var key in owned)
            {
                I64(buffer, key.CreatedAt.ToUnixTimeMilliseconds());
                U32(buffer, key.FirstIteration);
                var (chain, seed) = key.ExportSecrets();
                Kdf.Wipe(chain);
                try
                {
                    buffer.Write(seed);
                }
                finally
                {
                    Kdf.Wipe(seed);
                }
                WriteDistribution(buffer, key.SavedDistribution(reservation));
            }

            var rooms = receivers.ToList();
            U16(buffer, rooms.Count);
            foreach (var receiver in rooms)
            {
                Str(buffer, receiver.Room);
                var senders = receiver.Snapshot().ToList();
                U16(buffer, senders.Count);
                foreach (var (sender, keys, skipped) in senders)
                {
                    Str(buffer, sender);
                    var usable = keys.Where(k => k.Next != uint.MaxValue).ToList();
                    buffer.Write([(byte)usable.Count]);
                    foreach (var key in usable)
                        WriteDistribution(buffer, key.Snapshot(receiver.Room, sender));
                    var kept = skipped.ToList();
                    U16(buffer, kept.Count);
                    foreach (var (keyId, iteration, messageKey) in kept)
                    {
                        U32(buffer, keyId);
                        U32(buffer, iteration);
                        buffer.Write(messageKey);
                    }
                }
            }

            return buffer.WrittenSpan.ToArray();
        }
        finally
        {
            buffer.Clear(); // zeroes the copies of chain keys, seeds and message keys
        }
    }

    /// <summary>
    /// Reads a saved state for <paramref name="self"/>. On success the caller owns (and disposes) the keys and
    /// receivers; on failure nothing is returned (all secrets read so far are wiped) and <paramref name="problem"/>
    /// says what is wrong, never any content.
    /// </summary>
    public static bool TryImport(ReadOnlySpan<byte> bytes, string self, SenderKeyOptions options,
        [NotNullWhen(true)] out List<SenderKey>? own, [NotNullWhen(true)] out List<SenderKeyReceiver>? receivers, [NotNullWhen(false)] out string? problem)
    {
        ArgumentNullException.ThrowIfNull(self);
        ArgumentNullException.ThrowIfNull(options);
        var ownKeys = new List<SenderKey>();
        var rooms = new List<SenderKeyReceiver>();
        own = null;
        receivers = null;
        problem = Read(bytes, self, options.Validated(), ownKeys, rooms);
        if (problem is not null)
        {
            ownKeys.ForEach(k => k.Dispose());
            rooms.ForEach(r => r.Dispose());
            return false;
        }

        own = ownKeys;
        receivers = rooms;
        return true;
    }

    private static string? Read(ReadOnlySpan<byte> bytes, string self, SenderKeyOptions options, List<SenderKey> own, List<SenderKeyReceiver> rooms)
    {
        var reader = new WireReader(bytes);
        if (!reader.TryReadFixed("magic", Magic.Length, out var magic) || !magic.AsSpan().SequenceEqual(Magic))
            return "not a sender-key state (unknown format or version)";
        if (!reader.TryReadU16("own count", out var ownCount))
            return reader.Error;
        var ownRooms = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < ownCount; i++)
        {
            if (!reader.TryReadU64("created at", out var createdAt) || !reader.TryReadU32("first iteration", out var first)
                || !reader.TryReadFixed("signing seed", SeedSize, out var seed))
                return reader.Error;
            try
            {
                if (ReadDistribution(ref reader, out var d) is { } bad)
                    return bad;
                try
                {
                    if (!string.Equals(d.Sender, self, StringComparison.Ordinal) || !ownRooms.Add(d.Room))
                        return "an own sender key names another sender or a room twice";
                    if (first > d.Iteration || (long)createdAt < -62135596800000L || (long)createdAt > 253402300799999L)
                        return "an own sender key has an impossible iteration or creation time";
                    var key = SenderKey.FromSecrets(d.Room, d.Sender, d.KeyId, d.ChainKey, d.Iteration, seed,
                        RosterView.Create(d.Epoch, d.Members), DateTimeOffset.FromUnixTimeMilliseconds((long)createdAt), first);
                    if (!key.SigningPublicKey.AsSpan().SequenceEqual(d.SigningKey))
                    {
                        key.Dispose();
                        return "an own sender key's signing key does not match its seed";
                    }
                    own.Add(key);
                }
                finally
                {
                    Kdf.Wipe(d.ChainKey);
                }
            }
            finally
            {
                Kdf.Wipe(seed);
            }
        }

        if (!reader.TryReadU16("room count", out var roomCount))
            return reader.Error;
        var seenRooms = new HashSet<string>(StringComparer.Ordinal);
        for (var r = 0; r < roomCount; r++)
        {
            if (!reader.TryReadString("room", out var room) || !reader.TryReadU16("sender count", out var senderCount))
                return reader.Error;
            if (!Names.IsValidRoom(room) || !seenRooms.Add(room) || senderCount > WireLimits.MaxMembers)
                return "a room is invalid, repeated or has too many senders";
            var receiver = new SenderKeyReceiver(room, options);
            rooms.Add(receiver);
            for (var s = 0; s < senderCount; s++)
            {
                if (!reader.TryReadString("sender", out var sender) || !reader.TryReadByte("key count", out var keyCount))
                    return reader.Error;
                if (keyCount is 0 or > SenderKeyReceiver.KeysPerSender || receiver.Snapshot().Any(x => x.Sender == sender))
                    return "a sender has too many keys, none, or appears twice";
                for (var k = 0; k < keyCount; k++)
                {
                    if (ReadDistribution(ref reader, out var d) is { } bad)
                        return bad;
                    if (!string.Equals(d.Room, room, StringComparison.Ordinal) || !string.Equals(d.Sender, sender, StringComparison.Ordinal))
                    {
                        Kdf.Wipe(d.ChainKey);
                        return "a kept sender key names another room or sender";
                    }
                    if (receiver.Accept(d, sender) != DistributionOutcome.Accepted)
                        return "a kept sender key is repeated";
                }

                if (!reader.TryReadU16("skipped count", out var skippedCount))
                    return reader.Error;
                // More than max-skipped-kept (a smaller limit configured since) keeps the newest: the bound holds.
                if (skippedCount > reader.Remaining / (8 + KeySize))
                    return "the kept message keys are truncated";
                for (var k = 0; k < skippedCount; k++)
                {
                    if (!reader.TryReadU32("skipped key id", out var keyId) || !reader.TryReadU32("skipped iteration", out var iteration)
                        || !reader.TryReadFixed("skipped key", KeySize, out var messageKey))
                        return reader.Error;
                    if (!receiver.RestoreSkipped(sender, keyId, iteration, messageKey))
                        return "a kept message key belongs to no kept sender key";
                }
            }
        }

        return reader.Remaining == 0 ? null : "trailing bytes";
    }

    private static string? ReadDistribution(ref WireReader reader, out SenderKeyDistribution distribution)
    {
        distribution = null!;
        if (!reader.TryReadBlob32("sender key", out var blob))
            return reader.Error;
        try
        {
            var parsed = SenderKeyDistribution.Parse(blob);
            if (!parsed.Succeeded)
                return $"a kept sender key is invalid ({parsed.Reason})";
            distribution = parsed.Distribution!;
            return null;
        }
        finally
        {
            Kdf.Wipe(blob);
        }
    }

    private static void WriteDistribution(ArrayBufferWriter<byte> buffer, SenderKeyDistribution distribution)
    {
        var encoded = distribution.Encode();
        Kdf.Wipe(distribution.ChainKey);
        try
        {
            U32(buffer, (uint)encoded.Length);
            buffer.Write(encoded);
        }
        finally
        {
            Kdf.Wipe(encoded);
        }
    }

    private static void Str(ArrayBufferWriter<byte> buffer, string value)
    {
        var bytes = StrictUtf8.GetBytes(value);
        U16(buffer, bytes.Length);
        buffer.Write(bytes);
    }

    private static void U16(ArrayBufferWriter<byte> buffer, int value)
    {
        Span<byte> bytes = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(bytes, checked((ushort)value));
        buffer.Write(bytes);
    }

    private static void U32(ArrayBufferWriter<byte> buffer, uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        buffer.Write(bytes);
    }

    private static void I64(ArrayBufferWriter<byte> buffer, long value)
    {
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(bytes, value);
        buffer.Write(bytes);
    }
}
