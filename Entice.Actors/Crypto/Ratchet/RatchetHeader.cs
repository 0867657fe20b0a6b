using System.Buffers.Binary;
using Entice.Crypto.Primitives;

namespace Entice.Crypto.Ratchet;

/// <summary>
/// The cleartext header of a v3 session ciphertext (v3: the envelope id joined the AD; v2 is refused), all of it authenticated as part of the AD:
/// <code>
/// 0x03 || kind (1) || base key (32) || DHs (32) || PN (u32 BE) || N (u32 BE)
///      [kind 1 or 2: || signed prekey id (u32 BE) || one-time prekey id (u32 BE, 0 for kind 1)]
/// </code>
/// kind 0 = ordinary message, 1 = prekey message, 2 = prekey message that used a one-time prekey.
/// The base key is the initiator's X3DH ephemeral key: it names the session in every message, so the
/// receiver finds the session by lookup instead of by trial decryption.
/// </summary>
internal sealed class RatchetHeader
{
    public const byte Version = 0x03;
    public const int OrdinarySize = 1 + 1 + KeySize + KeySize + 4 + 4;
    public const int PrekeySize = OrdinarySize + 4 + 4;

    private const int KeySize = DiffieHellman.KeySize;
    private const byte Ordinary = 0;
    private const byte WithPrekey = 1;
    private const byte WithOneTimePrekey = 2;

    public RatchetHeader(byte[] baseKey, byte[] ratchetKey, uint previousCount, uint index, PrekeyUse? prekey)
    {
        BaseKey = baseKey;
        RatchetKey = ratchetKey;
        PreviousCount = previousCount;
        Index = index;
        Prekey = prekey;
    }

    public byte[] BaseKey { get; }

    /// <summary>DHs: the sender's current ratchet public key.</summary>
    public byte[] RatchetKey { get; }

    /// <summary>PN: how many messages the sender sent on its previous sending chain.</summary>
    public uint PreviousCount { get; }

    /// <summary>N: the message's position in the current sending chain.</summary>
    public uint Index { get; }

    /// <summary>Which of the responder's prekeys X3DH used; present until the initiator has had a reply.</summary>
    public PrekeyUse? Prekey { get; }

    public int Size => Prekey is null ? OrdinarySize : PrekeySize;

    public static bool TryParse(ReadOnlySpan<byte> ciphertext, out RatchetHeader? header)
    {
        header = null;
        if (ciphertext.Length < OrdinarySize || ciphertext[0] != Version || ciphertext[1] > WithOneTimePrekey)
        {
            return false;
        }

        var kind = ciphertext[1];
        PrekeyUse? prekey = null;
        if (kind != Ordinary)
        {
            if (ciphertext.Length < PrekeySize)
            {
                return false;
            }

            var oneTimeId = BinaryPrimitives.ReadUInt32BigEndian(ciphertext.Slice(OrdinarySize + 4, 4));
            if (kind == WithPrekey && oneTimeId != 0)
            {
                return false; // one encoding per header: no unused field an attacker could vary
            }

            prekey = new PrekeyUse(BinaryPrimitives.ReadUInt32BigEndian(ciphertext.Slice(OrdinarySize, 4)), kind == WithOneTimePrekey ? oneTimeId : null);
        }

        header = new RatchetHeader(
            ciphertext.Slice(2, KeySize).ToArray(),
            ciphertext.Slice(2 + KeySize, KeySize).ToArray(),
            BinaryPrimitives.ReadUInt32BigEndian(ciphertext.Slice(2 + (2 * KeySize), 4)),
            BinaryPrimitives.ReadUInt32BigEndian(ciphertext.Slice(2 + (2 * KeySize) + 4, 4)),
            prekey);
        return true;
    }

    public byte[] Encode()
    {
        var bytes = new byte[Size];
        Write(bytes, BaseKey, RatchetKey, PreviousCount, Index, Prekey);
        return bytes;
    }

    /// <summary>The size of a header with or without the X3DH facts.</summary>
    public static int SizeFor(PrekeyUse? prekey) => prekey is null ? OrdinarySize : PrekeySize;

    /// <summary>The encoding <see cref="Encode"/> gives, written into <paramref name="bytes"/> (exactly <see cref="SizeFor"/> bytes).</summary>
    public static void Write(Span<byte> bytes, ReadOnlySpan<byte> baseKey, ReadOnlySpan<byte> ratchetKey, uint previousCount, uint index, PrekeyUse? prekey)
    {
        if (bytes.Length != SizeFor(prekey) || baseKey.Length != KeySize || ratchetKey.Length != KeySize)
        {
            throw new CryptoException("Bad ratchet header buffer or key size.");
        }

        bytes[0] = Version;
        bytes[1] = prekey is null ? Ordinary : prekey.OneTimePrekeyId is null ? WithPrekey : WithOneTimePrekey;
        baseKey.CopyTo(bytes[2..]);
        ratchetKey.CopyTo(bytes[(2 + KeySize)..]);
        BinaryPrimitives.WriteUInt32BigEndian(bytes.Slice(2 + (2 * KeySize), 4), previousCount);
        BinaryPrimitives.WriteUInt32BigEndian(bytes.Slice(2 + (2 * KeySize) + 4, 4), index);
        if (prekey is not null)
        {
            BinaryPrimitives.WriteUInt32BigEndian(bytes.Slice(OrdinarySize, 4), prekey.SignedPrekeyId);
            BinaryPrimitives.WriteUInt32BigEndian(bytes.Slice(OrdinarySize + 4, 4), prekey.OneTimePrekeyId ?? 0);
        }
    }
}
