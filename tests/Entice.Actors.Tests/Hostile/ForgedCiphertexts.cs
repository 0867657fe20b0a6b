using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Entice.Tests.Hostile;

/// <summary>
/// Ciphertexts an attacker can write without any key: the session header laid out by hand (README "Pairwise
/// sessions"), random keys and a random body. Nothing in them authenticates.
/// </summary>
internal static class ForgedCiphertexts
{
    private const byte Version = 0x03;

    /// <summary>A "prekey message" that would start a new session at our signed prekey <paramref name="signedPrekeyId"/>, message N = <paramref name="index"/>.</summary>
    public static byte[] PrekeyMessage(uint signedPrekeyId, uint index)
    {
        var bytes = new byte[82 + 64 + 16];
        bytes[0] = Version;
        bytes[1] = 1; // prekey message without a one-time prekey
        RandomPoint(bytes.AsSpan(2, 32)); // base key
        RandomPoint(bytes.AsSpan(34, 32)); // ratchet key
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(66, 4), 0); // PN
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(70, 4), index); // N
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(74, 4), signedPrekeyId);
        RandomNumberGenerator.Fill(bytes.AsSpan(82));
        return bytes;
    }

    /// <summary>An ordinary message of a session nobody has (random base key): garbage that names no state of ours.</summary>
    public static byte[] OrdinaryMessage(uint index = 0)
    {
        var bytes = new byte[74 + 64 + 16];
        bytes[0] = Version;
        RandomPoint(bytes.AsSpan(2, 32));
        RandomPoint(bytes.AsSpan(34, 32));
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(70, 4), index);
        RandomNumberGenerator.Fill(bytes.AsSpan(74));
        return bytes;
    }

    private static void RandomPoint(Span<byte> key)
    {
        RandomNumberGenerator.Fill(key);
        key[31] &= 0x7F;
        key[0] |= 0x10; // never one of the few small-order encodings
    }
}
