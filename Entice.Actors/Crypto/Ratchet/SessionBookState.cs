using System.Security.Cryptography;
using System.Text;
using Entice.Crypto.Identity;
using Entice.Crypto.Primitives;

namespace Entice.Crypto.Ratchet;

/// <summary>
/// The persisted form of a <see cref="SessionBook"/> (format in README.md):
/// "ENSB" || version 0x02 (0x01 still read: no send sequences) || body || HMAC-SHA256(K_state, everything before), with
/// K_state = HKDF(DH(IKdh, IKdh_pub), salt = 32 zero bytes, info = "Entice/v1/state-mac", 32).
/// Only the owner of the identity key can compute K_state, so a state that was altered, truncated or
/// written for another identity is refused as a whole instead of being half-loaded.
/// </summary>
internal static class SessionBookState
{
    public const byte Version = 0x02;

    // A state written before send sequences were kept; read as having none.
    private const byte Version1 = 0x01;

    private const int MacSize = 32;
    private static readonly byte[] Magic = Encoding.ASCII.GetBytes("ENSB");

    /// <param name="macKey">The key of <see cref="MacKey"/> for <paramref name="me"/>, when the caller keeps it (a save per
    /// message should not pay an X25519 for it); derived here and wiped when null.</param>
    public static byte[] Write(IdentityKeys me, string myName, Parts parts, byte[]? macKey = null)
    {
        var writer = new StateWriter();
        foreach (var b in Magic)
        {
            writer.U8(b);
        }

        writer.U8(Version).String(myName).Key(me.Public.SigningKey).Key(me.Public.DhKey).I64(parts.NextSequence);
        parts.SignedPrekeys.Write(writer);
        parts.OneTimePrekeys.Write(writer);
        writer.U32((uint)parts.Sessions.Count);
        foreach (var session in parts.Sessions)
        {
            session.Write(writer, parts.Reservation?.Invoke(session) ?? 0);
        }

        writer.U32((uint)parts.SendingTo.Count);
        foreach (var (peer, id) in parts.SendingTo)
        {
            writer.String(peer).Key(Convert.FromHexString(id.BaseKeyHex));
        }

        writer.U32((uint)parts.Retired.Count);
        foreach (var (id, prekeyId) in parts.Retired)
        {
            writer.String(id.Peer).Key(Convert.FromHexString(id.BaseKeyHex)).U32(prekeyId);
        }

        parts.Skipped.Write(writer);
        writer.U32((uint)parts.SendSequences.Count);
        foreach (var (key, last) in parts.SendSequences)
        {
            writer.String(key.Peer).String(key.Conversation).I64((long)(parts.SequenceToSave?.Invoke(key, last) ?? last));
        }

        var mac = Mac(me, writer.Written, macKey);
        foreach (var b in mac)
        {
            writer.U8(b);
        }

        return writer.ToArrayAndWipe();
    }

    public static Restored Read(
        IdentityKeys me, string myName, ReadOnlySpan<byte> state, SignedPrekeyRing signedPrekeys, OneTimePrekeys oneTimePrekeys, SkippedMessageKeys skipped)
    {
        if (state.Length < Magic.Length + 1 + MacSize || !state[..Magic.Length].SequenceEqual(Magic))
        {
            throw new CryptoException("The saved session state is not a session state or is truncated.");
        }

        var version = state[Magic.Length];
        if (version is not (Version or Version1))
        {
            throw new CryptoException("The saved session state has an unsupported version.");
        }

        var content = state[..^MacSize];
        if (!CryptographicOperations.FixedTimeEquals(Mac(me, content), state[^MacSize..]))
        {
            throw new CryptoException("The saved session state is corrupt or belongs to another identity.");
        }

        var reader = new StateReader(content[(Magic.Length + 1)..]);
        if (reader.String() != myName
            || !CryptographicOperations.FixedTimeEquals(reader.Key(), me.Public.SigningKey)
            || !CryptographicOperations.FixedTimeEquals(reader.Key(), me.Public.DhKey))
        {
            throw new CryptoException("The saved session state belongs to another name or identity.");
        }

        var nextSequence = reader.I64();
        signedPrekeys.Read(ref reader, me);
        oneTimePrekeys.Read(ref reader);
        var sessions = new Dictionary<SessionId, RatchetSession>();
        try
        {
            var count = reader.Count(minItemSize: 200);
            for (var i = 0; i < count; i++)
            {
                var session = RatchetSession.Read(ref reader);
                if (!sessions.TryAdd(session.Id, session) || session.Sequence >= nextSequence)
                {
                    session.Dispose();
                    throw StateReader.Corrupt();
                }
            }

            var sendingTo = new Dictionary<string, SessionId>(StringComparer.Ordinal);
            var sendingCount = reader.Count(minItemSize: 4 + DiffieHellman.KeySize);
            for (var i = 0; i < sendingCount; i++)
            {
                var id = SessionId.For(reader.String(), reader.Key());
                if (!sessions.ContainsKey(id) || !sendingTo.TryAdd(id.Peer, id))
                {
                    throw StateReader.Corrupt();
                }
            }

            var retired = new Dictionary<SessionId, uint>();
            var retiredCount = reader.Count(minItemSize: 4 + DiffieHellman.KeySize + 4);
            for (var i = 0; i < retiredCount; i++)
            {
                if (!retired.TryAdd(SessionId.For(reader.String(), reader.Key()), reader.U32()))
                {
                    throw StateReader.Corrupt();
                }
            }

            skipped.Read(ref reader);
            var sequences = new Dictionary<SendSequenceKey, ulong>();
            if (version == Version)
            {
                var sequenceCount = reader.Count(minItemSize: 4 + 4 + 8);
                for (var i = 0; i < sequenceCount; i++)
                {
                    if (!sequences.TryAdd(new SendSequenceKey(reader.String(), reader.String()), (ulong)reader.I64()))
                    {
                        throw StateReader.Corrupt();
                    }
                }
            }

            if (!reader.AtEnd)
            {
                throw StateReader.Corrupt();
            }

            return new Restored(nextSequence, [.. sessions.Values], sendingTo, retired, sequences);
        }
        catch
        {
            foreach (var session in sessions.Values)
            {
                session.Dispose();
            }

            throw;
        }
    }

    /// <summary>
    /// The key that authenticates a saved state: HKDF of the DH of our identity key with itself, a secret only the
    /// holder of the private key can compute. The caller zeroes it.
    /// </summary>
    public static byte[] MacKey(IdentityKeys me)
    {
        var self = DiffieHellman.Agree(me.DhKey, me.Public.DhKey);
        try
        {
            return Kdf.Hkdf(self, KdfLabels.ZeroSalt, KdfLabels.StateMac, Kdf.HmacKeySize);
        }
        finally
        {
            Kdf.Wipe(self);
        }
    }

    private static byte[] Mac(IdentityKeys me, ReadOnlySpan<byte> content, byte[]? macKey = null)
    {
        if (macKey is not null)
            return Kdf.Hmac(macKey, content);
        var key = MacKey(me);
        try
        {
            return Kdf.Hmac(key, content);
        }
        finally
        {
            Kdf.Wipe(key);
        }
    }

    public sealed record Parts(
        long NextSequence,
        SignedPrekeyRing SignedPrekeys,
        OneTimePrekeys OneTimePrekeys,
        IReadOnlyList<RatchetSession> Sessions,
        IReadOnlyDictionary<string, SessionId> SendingTo,
        IReadOnlyDictionary<SessionId, uint> Retired,
        SkippedMessageKeys Skipped,
        IReadOnlyDictionary<SendSequenceKey, ulong> SendSequences)
    {
        /// <summary>Steps to reserve ahead of each sending chain (null: none, the chain as it is).</summary>
        public Func<RatchetSession, int>? Reservation { get; init; }

        /// <summary>The value to save for each send sequence (null: the last one given).</summary>
        public Func<SendSequenceKey, ulong, ulong>? SequenceToSave { get; init; }
    }

    public sealed record Restored(
        long NextSequence,
        IReadOnlyList<RatchetSession> Sessions,
        IReadOnlyDictionary<string, SessionId> SendingTo,
        IReadOnlyDictionary<SessionId, uint> Retired,
        IReadOnlyDictionary<SendSequenceKey, ulong> SendSequences);
}
