using System.Security.Cryptography;
using Entice.Crypto.Identity;
using Entice.Crypto.Primitives;

namespace Entice.Crypto.Ratchet;

/// <summary>
/// One Double Ratchet session with one peer (Signal's algorithm, KDFs from PROTOCOL.md). It is named by
/// (peer, base key), where the base key is the initiator's X3DH ephemeral key. Receiving works on a
/// <see cref="Copy"/>: the book adopts the copy only after the message authenticates, so a failed
/// decryption leaves this object untouched. Not thread-safe; the owning book disposes it.
/// </summary>
internal sealed class RatchetSession : IDisposable
{
    // Enough old receiving ratchet keys to call a replay on a recent chain a replay; older ones read as
    // a new ratchet key and fail authentication, which is still a refusal.
    private const int RememberedRatchetKeys = 16;

    private byte[] rootKey;
    private byte[] sendPrivate;
    private byte[]? sendChain;
    private byte[]? receiveChain;

    // The send reservation (SessionBook's send-reservation): the sending chain as the file holds it, some steps
    // ahead of sendChain. Belongs to the current sending chain (SendChainVersion); a DH ratchet step drops it.
    private byte[]? reservedChain;

    private RatchetSession(
        string peer,
        byte[] baseKey,
        bool weInitiated,
        PublicIdentity peerIdentity,
        PeerPrekey peerPrekey,
        byte[] rootKey,
        byte[] sendPrivate,
        byte[] sendPublic)
    {
        Peer = peer;
        BaseKey = baseKey;
        Id = SessionId.For(peer, baseKey);
        WeInitiated = weInitiated;
        PeerIdentity = peerIdentity;
        PeerPrekey = peerPrekey;
        this.rootKey = rootKey;
        this.sendPrivate = sendPrivate;
        SendPublic = sendPublic;
    }

    public string Peer { get; }

    public byte[] BaseKey { get; }

    /// <summary>(peer, base key): computed once, it is looked up on every message.</summary>
    public SessionId Id { get; }

    public bool WeInitiated { get; }

    public PublicIdentity PeerIdentity { get; }

    /// <summary>The signed prekey the peer published when this session began: a new one means it may have lost state.</summary>
    public PeerPrekey PeerPrekey { get; }

    /// <summary>
    /// The responder prekeys X3DH used (theirs when we initiated, ours when we responded). The initiator
    /// repeats them in every header until the first reply, so any of its early messages can open the session.
    /// </summary>
    public required PrekeyUse Prekeys { get; init; }

    /// <summary>True once a session we initiated has received a reply.</summary>
    public bool Acknowledged { get; private set; }

    public PrekeyUse? PendingPrekey => WeInitiated && !Acknowledged ? Prekeys : null;

    /// <summary>Order of creation within the book; the oldest sessions are evicted first.</summary>
    public long Sequence { get; set; }

    public byte[] SendPublic { get; private set; }

    public byte[]? ReceiveKey { get; private set; }

    public uint SendIndex { get; private set; }

    public uint ReceiveIndex { get; private set; }

    public uint PreviousCount { get; private set; }

    public List<byte[]> PreviousReceiveKeys { get; private set; } = [];

    /// <summary>Counts the sending chains this session has had (in memory only): which chain a reservation belongs to.</summary>
    public int SendChainVersion { get; private set; }

    /// <summary>The sending index the most recent export of this chain wrote (the reservation written).</summary>
    public uint ExportedIndex { get; private set; }

    /// <summary>The sending index the last <see cref="Write"/> wrote.</summary>
    public uint WrittenSendIndex { get; private set; }

    /// <summary>The sending index a durable save holds for this chain: messages below it may go out with no write.</summary>
    public uint DurableIndex { get; private set; }

    /// <summary>N is a u32 on the wire: a session that has used them all is replaced, never wrapped.</summary>
    public bool Exhausted => SendIndex == uint.MaxValue;

    /// <summary>
    /// Initiator: RK = SK; DHr = the peer's signed prekey; a fresh DHs; RK, CKs = KDF_RK(SK, DH(DHs, SPK)).
    /// Takes ownership of <paramref name="sharedKey"/> (wiped here).
    /// </summary>
    public static RatchetSession Initiate(
        string peer, byte[] baseKey, PublicIdentity peerIdentity, PeerPrekey peerPrekey, PrekeyUse used, byte[] sharedKey)
    {
        var (sendPrivate, sendPublic) = DiffieHellman.Generate();
        var session = new RatchetSession(peer, baseKey, weInitiated: true, peerIdentity, peerPrekey, sharedKey, sendPrivate, sendPublic)
        {
            Prekeys = used,
            ReceiveKey = [.. peerPrekey.PublicKey],
        };
        try
        {
            session.StepRoot(peerPrekey.PublicKey, sending: true);
            return session;
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Responder: RK = SK and DHs = our signed prekey; the first message's ratchet key then drives an
    /// ordinary DH ratchet step. Takes ownership of both secrets.
    /// </summary>
    public static RatchetSession Respond(
        string peer, byte[] baseKey, PublicIdentity peerIdentity, PeerPrekey peerPrekey, PrekeyUse used, byte[] sharedKey, byte[] signedPrekeyPrivate, byte[] signedPrekeyPublic) =>
        new(peer, baseKey, weInitiated: false, peerIdentity, peerPrekey, sharedKey, signedPrekeyPrivate, signedPrekeyPublic) { Prekeys = used };

    /// <summary>The size of the header the next message will carry.</summary>
    public int HeaderSize => RatchetHeader.SizeFor(PendingPrekey);

    /// <summary>The header the next message will carry (<see cref="PeekHeader"/>'s encoding), into <paramref name="destination"/>.</summary>
    public void WriteHeader(Span<byte> destination) =>
        RatchetHeader.Write(destination, BaseKey, SendPublic, PreviousCount, SendIndex, PendingPrekey);

    /// <summary>
    /// The associated data's fixed part for this session (label, initiator's then responder's identity keys),
    /// computed on first use and kept in memory only (public keys: nothing to wipe).
    /// </summary>
    public byte[] AssociatedDataPrefix(IBoundKeys me) =>
        associatedDataPrefix ??= WeInitiated
            ? MessageCipher.AssociatedDataPrefix(me, PeerIdentity)
            : MessageCipher.AssociatedDataPrefix(PeerIdentity, me);

    private byte[]? associatedDataPrefix;

    /// <summary>
    /// The message key for the next message we send, into <paramref name="messageKey"/> (32 bytes, the caller
    /// zeroes it); the chain key is stepped in place, so the old one is gone at once.
    /// </summary>
    public void NextSend(Span<byte> messageKey)
    {
        var chain = sendChain ?? throw new InvalidOperationException("This session has no sending chain yet.");
        Kdf.ChainStepInto(chain, messageKey, chain);
        SendIndex++;
    }

    /// <summary>
    /// Move the receiving side to the message named by <paramref name="header"/>: DH ratchet step when its
    /// ratchet key is new, skipping at most <paramref name="maxSkip"/> keys in all. Call on a copy.
    /// Returns the message key, or the reason there is none; skipped keys are appended to <paramref name="skipped"/>.
    /// </summary>
    public DecryptFailure? Advance(RatchetHeader header, int maxSkip, List<SkippedKey> skipped, out byte[] messageKey)
    {
        messageKey = [];
        if (header.Index == uint.MaxValue)
        {
            return DecryptFailure.TooFarAhead;
        }

        if (ReceiveKey is not null && KeyEquality.Same(header.RatchetKey, ReceiveKey))
        {
            if (receiveChain is null)
            {
                return DecryptFailure.Invalid; // the peer's signed prekey is never a sending ratchet key
            }

            if (header.Index < ReceiveIndex)
            {
                return DecryptFailure.Replay;
            }

            if (header.Index - ReceiveIndex > (uint)maxSkip)
            {
                return DecryptFailure.TooFarAhead;
            }
        }
        else
        {
            if (PreviousReceiveKeys.Any(key => KeyEquality.Same(key, header.RatchetKey)))
            {
                return DecryptFailure.Replay;
            }

            // Keys left on the old chain plus keys skipped on the new one: both are work an attacker can ask for.
            ulong leftOnOldChain = receiveChain is not null && header.PreviousCount > ReceiveIndex ? header.PreviousCount - ReceiveIndex : 0UL;
            if (leftOnOldChain + header.Index > (ulong)maxSkip)
            {
                return DecryptFailure.TooFarAhead;
            }

            if (receiveChain is not null)
            {
                SkipTo(header.PreviousCount, skipped);
            }

            try
            {
                RatchetTo(header.RatchetKey);
            }
            catch (CryptoException)
            {
                return DecryptFailure.Invalid;
            }
        }

        SkipTo(header.Index, skipped);
        var (key, nextChain) = Kdf.ChainStep(receiveChain!);
        Kdf.Wipe(receiveChain);
        receiveChain = nextChain;
        ReceiveIndex = header.Index + 1;
        messageKey = key;
        return null;
    }

    /// <summary>
    /// The common case, without a copy of the session: <paramref name="header"/> names the next message on the
    /// current receiving chain (no skip, no DH step). Then the message key and the chain after it are returned
    /// and nothing here changes until <see cref="CommitNext"/> (once the message authenticates; else the caller
    /// wipes both). False for anything else, which goes through <see cref="Advance"/> on a copy.
    /// </summary>
    public bool TryNextInOrder(RatchetHeader header, Span<byte> messageKey, Span<byte> nextChain)
    {
        if (receiveChain is null || ReceiveKey is null || header.Index != ReceiveIndex || header.Index == uint.MaxValue
            || !KeyEquality.Same(header.RatchetKey, ReceiveKey))
        {
            return false;
        }

        Kdf.ChainStepInto(receiveChain, messageKey, nextChain);
        return true;
    }

    /// <summary>
    /// The message <see cref="TryNextInOrder"/> gave the key of authenticated: the chain moves on (the chain key
    /// is overwritten in place; the caller zeroes its copy of <paramref name="nextChain"/>).
    /// </summary>
    public void CommitNext(ReadOnlySpan<byte> nextChain)
    {
        nextChain.CopyTo(receiveChain);
        ReceiveIndex++;
    }

    /// <summary>A reply arrived on a session we started: stop repeating the X3DH facts.</summary>
    public void Acknowledge() => Acknowledged = true;

    /// <summary>A deep copy: receiving works on it so that a failure changes nothing here.</summary>
    public RatchetSession Copy() =>
        new(Peer, BaseKey, WeInitiated, PeerIdentity, PeerPrekey, [.. rootKey], [.. sendPrivate], [.. SendPublic])
        {
            Prekeys = Prekeys,
            Acknowledged = Acknowledged,
            Sequence = Sequence,
            sendChain = sendChain is null ? null : [.. sendChain],
            receiveChain = receiveChain is null ? null : [.. receiveChain],
            ReceiveKey = ReceiveKey is null ? null : [.. ReceiveKey],
            SendIndex = SendIndex,
            ReceiveIndex = ReceiveIndex,
            PreviousCount = PreviousCount,
            PreviousReceiveKeys = [.. PreviousReceiveKeys.Select(key => (byte[])key.Clone())],
            reservedChain = reservedChain is null ? null : [.. reservedChain],
            SendChainVersion = SendChainVersion,
            ExportedIndex = ExportedIndex,
            DurableIndex = DurableIndex,
        };

    /// <summary>A durable save holds <paramref name="index"/> for sending chain <paramref name="version"/>.</summary>
    public void MarkDurable(int version, uint index)
    {
        if (version == SendChainVersion && index > DurableIndex)
        {
            DurableIndex = index;
        }
    }

    /// <summary>
    /// The sending chain key and index to save: the chain itself when <paramref name="reservation"/> is 0, else
    /// the chain <paramref name="reservation"/> steps ahead of the next index (reused while more than half of it
    /// is left, so a save costs no chain steps most of the time). Never a key at or before an index already used.
    /// </summary>
    private (byte[]? Chain, uint Index) SendingToSave(int reservation)
    {
        if (sendChain is null || reservation <= 0)
        {
            return (sendChain, SendIndex);
        }

        var ahead = reservedChain is not null && ExportedIndex >= SendIndex;
        if (ahead && ExportedIndex - SendIndex > (uint)reservation / 2)
        {
            return (reservedChain, ExportedIndex);
        }

        var target = (uint)Math.Min((ulong)SendIndex + (uint)reservation, uint.MaxValue);
        var (start, index) = ahead ? (reservedChain!, ExportedIndex) : ([.. sendChain], SendIndex);
        var chain = Kdf.StepChainTo(start, ref index, target);

        if (!ReferenceEquals(chain, reservedChain))
        {
            Kdf.Wipe(reservedChain);
        }

        reservedChain = chain;
        ExportedIndex = index;
        return (chain, index);
    }

    /// <summary>
    /// Saved form. <paramref name="reservation"/> &gt; 0 writes the sending chain that many steps ahead (see
    /// <see cref="SendingToSave"/>); a session restored from it sends from there, so a message key used before the
    /// save can never be derived from the file nor used again.
    /// </summary>
    public void Write(StateWriter writer, int reservation = 0)
    {
        var (chain, sendIndex) = SendingToSave(reservation);
        WrittenSendIndex = sendIndex;
        writer.String(Peer).Key(BaseKey).Bool(WeInitiated).I64(Sequence)
            .Key(PeerIdentity.SigningKey).Key(PeerIdentity.DhKey).Bytes(PeerIdentity.BindingSignature)
            .U32(PeerPrekey.Id).Key(PeerPrekey.PublicKey)
            .U32(Prekeys.SignedPrekeyId).Bool(Prekeys.OneTimePrekeyId is not null).U32(Prekeys.OneTimePrekeyId ?? 0)
            .Bool(Acknowledged)
            .Key(rootKey).Key(sendPrivate).Key(SendPublic).OptionalKey(chain)
            .OptionalKey(ReceiveKey).OptionalKey(receiveChain)
            .U32(sendIndex).U32(ReceiveIndex).U32(PreviousCount)
            .U32((uint)PreviousReceiveKeys.Count);
        foreach (var key in PreviousReceiveKeys)
        {
            writer.Key(key);
        }
    }

    public static RatchetSession Read(ref StateReader reader)
    {
        var peer = reader.String();
        var baseKey = reader.Key();
        var weInitiated = reader.Bool();
        var sequence = reader.I64();
        var identity = new PublicIdentity(reader.Key(), reader.Key(), reader.Bytes(IdentitySignatures.SignatureSize));
        var peerPrekey = new PeerPrekey(reader.U32(), reader.Key());
        var signedId = reader.U32();
        var hasOneTime = reader.Bool();
        var oneTimeId = reader.U32();
        var prekeys = new PrekeyUse(signedId, hasOneTime ? oneTimeId : null);
        var acknowledged = reader.Bool();

        var rootKey = reader.Key();
        var sendPrivate = reader.Key();
        var session = new RatchetSession(peer, baseKey, weInitiated, identity, peerPrekey, rootKey, sendPrivate, reader.Key())
        {
            Prekeys = prekeys,
            Acknowledged = acknowledged,
            Sequence = sequence,
        };
        session.sendChain = reader.OptionalKey();
        session.ReceiveKey = reader.OptionalKey();
        session.receiveChain = reader.OptionalKey();
        session.SendIndex = reader.U32();
        session.ReceiveIndex = reader.U32();
        session.PreviousCount = reader.U32();
        var remembered = reader.Count(DiffieHellman.KeySize);
        if (remembered > RememberedRatchetKeys || !CryptographicOperations.FixedTimeEquals(DiffieHellman.PublicKeyOf(sendPrivate), session.SendPublic))
        {
            session.Dispose();
            throw StateReader.Corrupt();
        }

        for (var i = 0; i < remembered; i++)
        {
            session.PreviousReceiveKeys.Add(reader.Key());
        }

        return session;
    }

    public void Dispose()
    {
        Kdf.Wipe(rootKey);
        Kdf.Wipe(sendPrivate);
        Kdf.Wipe(sendChain);
        Kdf.Wipe(receiveChain);
        Kdf.Wipe(reservedChain);
    }

    public override string ToString() => $"RatchetSession({Peer}, {(WeInitiated ? "initiator" : "responder")})";

    private void SkipTo(uint target, List<SkippedKey> skipped)
    {
        while (ReceiveIndex < target)
        {
            var (skippedKey, nextChain) = Kdf.ChainStep(receiveChain!);
            Kdf.Wipe(receiveChain);
            receiveChain = nextChain;
            skipped.Add(new SkippedKey(SkippedKeyId.For(Id, ReceiveKey!, ReceiveIndex), skippedKey));
            ReceiveIndex++;
        }
    }

    // DH ratchet: new receiving chain from DH(DHs, DHr'), then a fresh DHs and a new sending chain.
    private void RatchetTo(byte[] newReceiveKey)
    {
        if (ReceiveKey is not null)
        {
            PreviousReceiveKeys.Add(ReceiveKey);
            if (PreviousReceiveKeys.Count > RememberedRatchetKeys)
            {
                PreviousReceiveKeys.RemoveAt(0);
            }
        }

        PreviousCount = SendIndex;
        SendIndex = 0;
        ReceiveIndex = 0;
        ReceiveKey = [.. newReceiveKey];
        StepRoot(newReceiveKey, sending: false);
        var (newPrivate, newPublic) = DiffieHellman.Generate();
        Kdf.Wipe(sendPrivate);
        sendPrivate = newPrivate;
        SendPublic = newPublic;
        StepRoot(newReceiveKey, sending: true);
    }

    private void StepRoot(byte[] peerRatchetKey, bool sending)
    {
        var dh = DiffieHellman.Agree(sendPrivate, peerRatchetKey);
        try
        {
            var (nextRoot, chain) = Kdf.RootStep(rootKey, dh);
            Kdf.Wipe(rootKey);
            rootKey = nextRoot;
            if (sending)
            {
                Kdf.Wipe(sendChain);
                sendChain = chain;
                // A new sending chain: nothing of it is reserved or saved yet.
                Kdf.Wipe(reservedChain);
                reservedChain = null;
                ExportedIndex = 0;
                DurableIndex = 0;
                SendChainVersion++;
            }
            else
            {
                Kdf.Wipe(receiveChain);
                receiveChain = chain;
            }
        }
        finally
        {
            Kdf.Wipe(dh);
        }
    }
}
