using System.Buffers.Binary;
using Entice.Wire;

namespace Entice.Tests.Wire;

/// <summary>
/// Hostile input: whatever a peer sends, decoding must end in a message or a loggable reason, never an
/// exception (which would take the relay's connection handling down a path nobody tested). Every case is
/// derived from a seed printed on failure.
/// </summary>
public sealed class WireCodecFuzzSpecs
{
    private static readonly byte[] KnownTags = [0x01, 0x02, 0x03, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x20, 0x30, 0x31, 0x32, 0x33, 0x40];

    [Fact]
    public void Random_payloads_decode_or_fail_with_a_reason()
    {
        var outcomes = new Outcomes();
        for (var seed = 0; seed < 20_000; seed++)
        {
            var random = new Random(seed);
            var payload = new byte[random.Next(0, 320)];
            random.NextBytes(payload);
            if (payload.Length > 0 && random.Next(10) < 8)
            {
                // Mostly valid tags, and small string lengths, so decoding gets past the first byte or two.
                payload[0] = KnownTags[random.Next(KnownTags.Length)];
                if (payload.Length > 2 && random.Next(2) == 0)
                {
                    payload[1] = 0;
                    payload[2] = (byte)random.Next(8);
                }
            }

            CheckDecode(payload, seed, outcomes);
        }

        // Random bytes rarely form a whole message (no trailing bytes allowed); what matters is that none throws.
        Assert.True(outcomes.Decoded > 0, "no random payload decoded");
        Assert.True(outcomes.Rejected > 10_000);
    }

    [Fact]
    public void Mutations_of_valid_encodings_decode_or_fail_with_a_reason()
    {
        var outcomes = new Outcomes();
        for (var seed = 0; seed < 15_000; seed++)
        {
            var random = new Random(seed);
            var payload = WireCodec.Encode(new WireMessageGenerator(seed).Any());
            for (var rounds = random.Next(1, 4); rounds > 0; rounds--)
            {
                payload = Mutate(payload, random);
            }

            CheckDecode(payload, seed, outcomes);
        }

        // Flips inside keys or ciphertexts stay valid; most other damage does not. Both paths must be exercised.
        Assert.True(outcomes.Decoded > 1_000, $"only {outcomes.Decoded} mutants decoded");
        Assert.True(outcomes.Rejected > 5_000, $"only {outcomes.Rejected} mutants were rejected");
    }

    private static void CheckDecode(byte[] payload, int seed, Outcomes outcomes)
    {
        bool decoded;
        WireMessage? message;
        string? error;
        try
        {
            decoded = WireCodec.TryDecode(payload, out message, out error);
        }
        catch (Exception ex)
        {
            Assert.Fail($"seed {seed}: TryDecode threw {ex}");
            return;
        }

        if (decoded)
        {
            outcomes.Decoded++;
            // One message, one encoding: anything accepted re-encodes to the very same bytes, so nobody can
            // alter a payload (say, to dodge a duplicate check) while it still means the same message.
            Assert.True(payload.AsSpan().SequenceEqual(WireCodec.Encode(message!)), $"seed {seed}: accepted a non-canonical encoding");
        }
        else
        {
            outcomes.Rejected++;
            Assert.Null(message);
            Assert.False(string.IsNullOrWhiteSpace(error), $"seed {seed}: no reason given");
            Assert.True(error.Length <= 120 && error.All(c => c is >= ' ' and <= '~'), $"seed {seed}: reason is not short printable ASCII: {error}");
        }
    }

    private static byte[] Mutate(byte[] payload, Random random)
    {
        if (payload.Length == 0)
        {
            return [(byte)random.Next(256)];
        }

        var at = random.Next(payload.Length);
        switch (random.Next(8))
        {
            case 0:
                var flipped = (byte[])payload.Clone();
                flipped[at] ^= (byte)(1 << random.Next(8));
                return flipped;
            case 1:
                return payload[..random.Next(payload.Length)];
            case 2:
                var extension = new byte[random.Next(1, 17)];
                random.NextBytes(extension);
                return [.. payload, .. extension];
            case 3:
                return TamperLength16(payload, random);
            case 4:
                return TamperLength32(payload, random);
            case 5:
                var overwritten = (byte[])payload.Clone();
                overwritten[at] = (byte)random.Next(256);
                return overwritten;
            case 6:
                var count = random.Next(1, Math.Min(16, payload.Length - at) + 1);
                return [.. payload[..at], .. payload[(at + count)..]];
            default:
                var inserted = new byte[random.Next(1, 9)];
                random.NextBytes(inserted);
                return [.. payload[..at], .. inserted, .. payload[at..]];
        }
    }

    private static byte[] TamperLength16(byte[] payload, Random random)
    {
        if (payload.Length < 3)
        {
            return payload;
        }

        ushort[] values = [0, 1, 255, 256, 257, 0x7FFF, 0xFFFF, (ushort)random.Next(65536), (ushort)payload.Length];
        var tampered = (byte[])payload.Clone();
        BinaryPrimitives.WriteUInt16BigEndian(tampered.AsSpan(random.Next(1, payload.Length - 1)), values[random.Next(values.Length)]);
        return tampered;
    }

    private static byte[] TamperLength32(byte[] payload, Random random)
    {
        if (payload.Length < 5)
        {
            return payload;
        }

        uint[] values = [0, 1, 0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFF, (uint)payload.Length, (uint)random.NextInt64(1L << 32)];
        var tampered = (byte[])payload.Clone();
        BinaryPrimitives.WriteUInt32BigEndian(tampered.AsSpan(random.Next(1, payload.Length - 3)), values[random.Next(values.Length)]);
        return tampered;
    }

    private sealed class Outcomes
    {
        public int Decoded { get; set; }

        public int Rejected { get; set; }
    }
}
