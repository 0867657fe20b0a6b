using System.Security.Cryptography;
using Entice.Wire;
using Entice.Crypto.Identity;
using Entice.Crypto.Primitives;

namespace Entice.Crypto.Ratchet;

/// <summary>
/// All pairwise sessions of one local party: X3DH (with an optional one-time prekey) to start, then the
/// Double Ratchet in both directions. A peer may have several sessions (simultaneous starts, a peer that
/// lost its state); all of them can receive, one is used for sending, and both sides settle on the same
/// one. A failed decryption changes no state: the session is advanced on a copy, adopted only after the
/// tag verifies and the padding is valid. Not thread-safe: one actor owns a book. The book owns copies of
/// the signed prekeys it is given, its one-time prekeys and its sessions; it does not own <c>me</c>.
/// </summary>
public sealed class SessionBook : IDisposable
{
    public const int DefaultMaxSkip = 1000;

    /// <summary>
    /// How far into its first chain a message that starts a session may be (N). Such a message is not
    /// authenticated until X3DH and the chain steps are done, so this bounds what a forged one costs.
    /// </summary>
    public const int DefaultMaxSkipNewSession = 32;

    /// <summary>Sessions kept per peer; older ones (never the sending one) are retired first.</summary>
    internal const int MaxSessionsPerPeer = 4;

    public static readonly TimeSpan DefaultSkippedKeyLifetime = TimeSpan.FromDays(7);
    public static readonly TimeSpan DefaultSignedPrekeyGracePeriod = TimeSpan.FromDays(14);

    private readonly IdentityKeys me;
    private readonly int maxSkip;
    private readonly int maxSkipNewSession;
    private readonly Func<DateTimeOffset> clock;
    private readonly SignedPrekeyRing signedPrekeys;
    private readonly Dictionary<SessionId, RatchetSession> sessions = [];
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<IdentityBundle, IdentityBundle> verifiedBundles = new();
    private readonly Dictionary<string, SessionId> sendingTo = new(StringComparer.Ordinal);

    // Sessions we responded to and then dropped (ForgetPeer, eviction), with the signed prekey they used: a
    // replayed prekey message must not re-create them through X3DH. An entry can go when its prekey does,
    // because from then on such a message fails with UnknownPrekey anyway.
    private readonly Dictionary<SessionId, uint> retired = [];
    private readonly SkippedMessageKeys skipped;

    // The last sequence number we gave a message to each (peer, conversation); persisted, so numbers never repeat.
    private readonly Dictionary<SendSequenceKey, ulong> sendSequences = [];
    private long nextSequence;
    private bool disposed;

    public SessionBook(
        IdentityKeys me,
        string myName,
        SignedPrekey myPrekey,
        int maxSkip = DefaultMaxSkip,
        TimeSpan? skippedKeyLifetime = null,
        Func<DateTimeOffset>? clock = null,
        TimeSpan? signedPrekeyGracePeriod = null,
        int? maxSkipPerPeer = null,
        int maxSkipNewSession = DefaultMaxSkipNewSession)
        : this(me, myName, maxSkip, skippedKeyLifetime, clock, signedPrekeyGracePeriod, maxSkipPerPeer, maxSkipNewSession)
    {
        ArgumentNullException.ThrowIfNull(myPrekey);
        signedPrekeys.Add(myPrekey.Copy(me), this.clock());
    }

    private SessionBook(
        IdentityKeys me, string myName, int maxSkip, TimeSpan? skippedKeyLifetime, Func<DateTimeOffset>? clock, TimeSpan? signedPrekeyGracePeriod,
        int? maxSkipPerPeer, int maxSkipNewSession)
    {
        ArgumentNullException.ThrowIfNull(me);
        ArgumentNullException.ThrowIfNull(myName);
        ArgumentOutOfRangeException.ThrowIfNegative(maxSkip);
        ArgumentOutOfRangeException.ThrowIfNegative(maxSkipNewSession);
        if (maxSkipPerPeer is { } perPeer)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(perPeer, nameof(maxSkipPerPeer));
        }
        var lifetime = skippedKeyLifetime ?? DefaultSkippedKeyLifetime;
        var grace = signedPrekeyGracePeriod ?? DefaultSignedPrekeyGracePeriod;
        ArgumentOutOfRangeException.ThrowIfLessThan(lifetime, TimeSpan.Zero, nameof(skippedKeyLifetime));
        ArgumentOutOfRangeException.ThrowIfLessThan(grace, TimeSpan.Zero, nameof(signedPrekeyGracePeriod));
        this.me = me;
        MyName = myName;
        // One message may not skip more keys than its peer may keep: a skipped key evicted at once would
        // make that message, when it comes, look like a replay.
        this.maxSkip = Math.Min(maxSkip, maxSkipPerPeer ?? maxSkip);
        this.maxSkipNewSession = Math.Min(maxSkipNewSession, this.maxSkip);
        this.clock = clock ?? (() => DateTimeOffset.UtcNow);
        signedPrekeys = new SignedPrekeyRing(grace);
        skipped = new SkippedMessageKeys(maxSkip, lifetime, maxSkipPerPeer);
        OneTimePrekeys = new OneTimePrekeys();
    }

    public string MyName { get; }

    /// <summary>Our one-time prekeys: generate, publish the public halves, top up as they are used.</summary>
    public OneTimePrekeys OneTimePrekeys { get; }

    /// <summary>The id of the signed prekey to publish (the most recently added).</summary>
    public uint CurrentSignedPrekeyId
    {
        get
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            return signedPrekeys.Current.Id;
        }
    }

    /// <summary>How many skipped message keys are held (never more than maxSkip).</summary>
    internal int SkippedKeyCount => skipped.Count;

    /// <summary>How many skipped message keys are held for one peer (never more than its share).</summary>
    internal int SkippedKeyCountFor(string peer) => skipped.CountFor(peer);

    internal int SessionCount(string peer) => sessions.Keys.Count(id => id.Peer == peer);

    /// <summary>The bundle to publish: our identity and the current signed prekey.</summary>
    public IdentityBundle CreateBundle()
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        return Bundles.CreateBundle(me, signedPrekeys.Current);
    }

    /// <summary>
    /// Rotate: <paramref name="prekey"/> (copied; the caller keeps its own object) becomes current. The
    /// previous one is still accepted for the grace period, or until <see cref="RetireSignedPrekey"/>.
    /// </summary>
    public void AddSignedPrekey(SignedPrekey prekey)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        ArgumentNullException.ThrowIfNull(prekey);
        signedPrekeys.Add(prekey.Copy(me), clock());
    }

    /// <summary>Stop accepting prekey messages for a superseded signed prekey now; false if we do not hold it.</summary>
    public bool RetireSignedPrekey(uint id)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        var removed = signedPrekeys.Retire(id);
        PruneRetired();
        return removed;
    }

    /// <summary>
    /// Encrypt <paramref name="plaintext"/> (padded here) to <paramref name="peer"/> for this context.
    /// Throws <see cref="CryptoException"/> when the peer's bundle is forged or its keys are unusable.
    /// </summary>
    public byte[] Encrypt(PeerKeys peer, MessageContext ctx, ReadOnlySpan<byte> plaintext)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        ArgumentNullException.ThrowIfNull(peer);
        ArgumentNullException.ThrowIfNull(ctx);
        if (!VerifiedOnce(peer.Bundle))
        {
            throw new CryptoException("The peer's key bundle has an invalid signature.");
        }

        var session = SendingSessionFor(peer);
        // Built before the chain steps, so a context that cannot be encoded costs no message key.
        var encoded = session.PeekHeader().Encode();
        var associatedData = AssociatedData(session, encoded, ctx);
        var (_, messageKey) = session.NextSend();
        var padded = Padding.Pad(plaintext);
        try
        {
            return [.. encoded, .. MessageCipher.Seal(messageKey, associatedData, padded)];
        }
        finally
        {
            Kdf.Wipe(messageKey);
            Kdf.Wipe(padded);
        }
    }

    /// <summary>Decrypt a ciphertext from <paramref name="sender"/> under this context. Never throws on bad input.</summary>
    public DecryptResult Decrypt(PeerKeys sender, MessageContext ctx, ReadOnlySpan<byte> ciphertext)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        ArgumentNullException.ThrowIfNull(sender);
        ArgumentNullException.ThrowIfNull(ctx);

        if (!RatchetHeader.TryParse(ciphertext, out var header) || header is null)
        {
            return DecryptResult.Fail(DecryptFailure.Malformed);
        }

        var headerBytes = ciphertext[..header.Size].ToArray();
        var body = ciphertext[header.Size..];
        var paddedLength = body.Length - MessageCipher.TagSize;
        if (paddedLength < Padding.BlockSize || paddedLength % Padding.BlockSize != 0)
        {
            return DecryptResult.Fail(DecryptFailure.Malformed);
        }

        if (sender.Name is null || !VerifiedOnce(sender.Bundle))
        {
            return DecryptResult.Fail(DecryptFailure.Invalid);
        }

        var now = clock();
        Expire(now);
        var id = SessionId.For(sender.Name, header.BaseKey);
        if (sessions.TryGetValue(id, out var session))
        {
            if (!session.PeerIdentity.SameKeysAs(sender.Identity))
            {
                return DecryptResult.Fail(DecryptFailure.Invalid);
            }

            return TryAssociatedData(session, headerBytes, ctx, out var associatedData)
                ? OpenExisting(session, header, associatedData, body, now)
                : DecryptResult.Fail(DecryptFailure.Malformed);
        }

        if (retired.ContainsKey(id))
        {
            return DecryptResult.Fail(DecryptFailure.Replay);
        }

        return header.Prekey is null
            ? DecryptResult.Fail(DecryptFailure.UnknownSession)
            : OpenNew(sender, ctx, header, headerBytes, body, now);
    }

    /// <summary>
    /// True when <paramref name="ciphertext"/> from <paramref name="sender"/> would have to start a session
    /// (X3DH before anything is authenticated): the expensive kind, which a caller may throttle. Cheap.
    /// </summary>
    public bool StartsNewSession(string sender, ReadOnlySpan<byte> ciphertext)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        ArgumentNullException.ThrowIfNull(sender);
        if (!RatchetHeader.TryParse(ciphertext, out var header) || header?.Prekey is null)
        {
            return false;
        }

        var id = SessionId.For(sender, header.BaseKey);
        return !sessions.ContainsKey(id) && !retired.ContainsKey(id);
    }

    /// <summary>
    /// The next message to <paramref name="peer"/> starts a new session (X3DH), as if none were held. Nothing
    /// is dropped: every session with the peer still receives. For a peer that seems to send on a session we
    /// do not hold (our state is older than theirs): safe on unauthenticated evidence, since it costs nothing
    /// but one handshake.
    /// </summary>
    public void RenewSendingSession(string peer)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        ArgumentNullException.ThrowIfNull(peer);
        sendingTo.Remove(peer);
    }

    /// <summary>
    /// The sequence number of the next message to <paramref name="peer"/> in <paramref name="conversation"/>
    /// (1, 2, ...; see <see cref="MessageContext.Conversation"/>). Kept in the book's state, so a number is
    /// never given twice, across restarts too.
    /// </summary>
    public ulong NextSendSequence(string peer, string conversation)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        var key = new SendSequenceKey(peer, conversation);
        var next = sendSequences.GetValueOrDefault(key) + 1;
        sendSequences[key] = next;
        return next;
    }

    /// <summary>Drop every session with this peer and its skipped keys; replays of its old messages stay refused.</summary>
    public void ForgetPeer(string name)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        ArgumentNullException.ThrowIfNull(name);
        foreach (var id in sessions.Keys.Where(id => id.Peer == name).ToList())
        {
            RemoveSession(id);
        }

        sendingTo.Remove(name);
    }

    /// <summary>
    /// The whole book (sessions, skipped keys with their times, signed and one-time prekeys with their
    /// private parts, retired sessions) in the versioned format of README.md. It is secret: store it only
    /// through <see cref="KeyDirectory.SaveSessions"/> or equivalent, and zero the array after use.
    /// </summary>
    public byte[] Export()
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        Expire(clock());
        return SessionBookState.Write(me, MyName, new SessionBookState.Parts(
            nextSequence, signedPrekeys, OneTimePrekeys, sessions.Values.ToList(), sendingTo, retired, skipped, sendSequences));
    }

    /// <summary>
    /// Restore a book saved by <see cref="Export"/> for the same identity and name. Throws
    /// <see cref="CryptoException"/> on any truncation, corruption or mismatch: it never starts fresh.
    /// </summary>
    public static SessionBook Import(
        IdentityKeys me,
        string myName,
        ReadOnlySpan<byte> state,
        int maxSkip = DefaultMaxSkip,
        TimeSpan? skippedKeyLifetime = null,
        Func<DateTimeOffset>? clock = null,
        TimeSpan? signedPrekeyGracePeriod = null,
        int? maxSkipPerPeer = null,
        int maxSkipNewSession = DefaultMaxSkipNewSession)
    {
        var book = new SessionBook(me, myName, maxSkip, skippedKeyLifetime, clock, signedPrekeyGracePeriod, maxSkipPerPeer, maxSkipNewSession);
        try
        {
            var restored = SessionBookState.Read(me, myName, state, book.signedPrekeys, book.OneTimePrekeys, book.skipped);
            book.nextSequence = restored.NextSequence;
            foreach (var session in restored.Sessions)
            {
                book.sessions.Add(session.Id, session);
            }

            foreach (var (peer, id) in restored.SendingTo)
            {
                book.sendingTo.Add(peer, id);
            }

            foreach (var (id, prekeyId) in restored.Retired)
            {
                book.retired.Add(id, prekeyId);
            }

            foreach (var (key, last) in restored.SendSequences)
            {
                book.sendSequences.Add(key, last);
            }

            return book;
        }
        catch
        {
            book.Dispose();
            throw;
        }
    }

    // Two Ed25519 verifications per message were most of its cost; a bundle object is immutable in
    // practice (the chat actor keeps one per member), so once verified it stays verified.
    private bool VerifiedOnce(IdentityBundle? bundle)
    {
        if (bundle is null)
            return false;
        if (verifiedBundles.TryGetValue(bundle, out _))
            return true;
        if (!IdentitySignatures.VerifyBundle(bundle))
            return false;
        verifiedBundles.AddOrUpdate(bundle, bundle);
        return true;
    }

    public void Dispose()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        foreach (var session in sessions.Values)
        {
            session.Dispose();
        }

        sessions.Clear();
        sendingTo.Clear();
        skipped.Dispose();
        signedPrekeys.Dispose();
        OneTimePrekeys.Dispose();
    }

    public override string ToString() => $"SessionBook({MyName}, {sessions.Count} sessions)";

    /// <summary>
    /// True when the next <see cref="Encrypt"/> to <paramref name="peer"/> would start a new session
    /// (X3DH): the moment to fetch one of the peer's one-time prekeys.
    /// </summary>
    public bool NeedsNewSession(PeerKeys peer)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        ArgumentNullException.ThrowIfNull(peer);
        return CurrentSendingSession(peer) is null;
    }

    private RatchetSession? CurrentSendingSession(PeerKeys peer)
    {
        var bundle = peer.Bundle;
        return sendingTo.TryGetValue(peer.Name, out var id) && sessions.TryGetValue(id, out var current)
            && current.PeerIdentity.SameKeysAs(peer.Identity)
            && current.PeerPrekey.Id == bundle.PrekeyId
            && CryptographicOperations.FixedTimeEquals(current.PeerPrekey.PublicKey, bundle.Prekey)
            && !current.Exhausted
            ? current
            : null;
    }

    private RatchetSession SendingSessionFor(PeerKeys peer)
    {
        var bundle = peer.Bundle;
        if (CurrentSendingSession(peer) is { } current)
            return current;

        // No session, new identity keys, a new signed prekey (the peer may have lost its state) or a used-up
        // session: agree afresh. Older sessions stay for receiving what is still in flight.
        var oneTime = peer.OneTimePrekey;
        var (sharedKey, baseKey) = X3dh.Initiate(me, bundle, oneTime?.PublicKey);
        var session = RatchetSession.Initiate(
            peer.Name,
            baseKey,
            new PublicIdentity([.. bundle.SigningKey], [.. bundle.DhKey], [.. bundle.BindingSignature]),
            new PeerPrekey(bundle.PrekeyId, [.. bundle.Prekey]),
            new PrekeyUse(bundle.PrekeyId, oneTime?.Id),
            sharedKey);
        AddSession(session);
        sendingTo[peer.Name] = session.Id;
        return session;
    }

    private DecryptResult OpenExisting(RatchetSession session, RatchetHeader header, byte[] associatedData, ReadOnlySpan<byte> body, DateTimeOffset now)
    {
        var skippedId = SkippedKeyId.For(session.Id, header.RatchetKey, header.Index);
        if (skipped.TryGet(skippedId, out var skippedKey))
        {
            var early = Open(skippedKey, associatedData, body);
            if (early.Succeeded)
            {
                skipped.Remove(skippedId);
                if (session.WeInitiated)
                {
                    session.Acknowledge();
                }
            }

            return early;
        }

        var working = session.Copy();
        var newlySkipped = new List<SkippedKey>();
        var result = Advance(working, header, associatedData, body, newlySkipped);
        if (!result.Succeeded)
        {
            return result;
        }

        // Authentic: now, and only now, adopt the advanced session and keep the keys it skipped.
        if (working.WeInitiated)
        {
            working.Acknowledge();
        }

        sessions[session.Id] = working;
        session.Dispose();
        skipped.AddRange(newlySkipped, now);
        return result;
    }

    private DecryptResult OpenNew(PeerKeys sender, MessageContext ctx, RatchetHeader header, byte[] headerBytes, ReadOnlySpan<byte> body, DateTimeOffset now)
    {
        var used = header.Prekey!;
        if (!signedPrekeys.TryGet(used.SignedPrekeyId, out var signedPrekey))
        {
            return DecryptResult.Fail(DecryptFailure.UnknownPrekey);
        }

        var oneTimePrivate = Array.Empty<byte>();
        if (used.OneTimePrekeyId is { } oneTimeId && !OneTimePrekeys.TryPeek(oneTimeId, out oneTimePrivate))
        {
            return DecryptResult.Fail(DecryptFailure.UnknownPrekey);
        }

        // Checked before X3DH: no reason to spend four DHs on a message we would refuse anyway. Nothing
        // about this message is authenticated yet, so the bound is small.
        if (header.Index > (uint)maxSkipNewSession)
        {
            return DecryptResult.Fail(DecryptFailure.TooFarAhead);
        }

        var initiator = sender.Identity;
        if (!TryAssociatedData(initiator, me.Public, headerBytes, ctx, out var associatedData))
        {
            return DecryptResult.Fail(DecryptFailure.Malformed);
        }

        byte[] sharedKey;
        try
        {
            sharedKey = X3dh.Respond(me, signedPrekey, initiator, header.BaseKey, oneTimePrivate);
        }
        catch (CryptoException)
        {
            return DecryptResult.Fail(DecryptFailure.Invalid);
        }

        var session = RatchetSession.Respond(
            sender.Name,
            header.BaseKey,
            new PublicIdentity([.. initiator.SigningKey], [.. initiator.DhKey], [.. initiator.BindingSignature]),
            new PeerPrekey(sender.Bundle.PrekeyId, [.. sender.Bundle.Prekey]),
            used,
            sharedKey,
            signedPrekey.ExportPrivateKey(),
            [.. signedPrekey.PublicKey]);
        var newlySkipped = new List<SkippedKey>();
        var result = Advance(session, header, associatedData, body, newlySkipped);
        if (!result.Succeeded)
        {
            return result;
        }

        if (used.OneTimePrekeyId is { } consumed)
        {
            OneTimePrekeys.Consume(consumed);
        }

        AddSession(session);
        skipped.AddRange(newlySkipped, now);
        ChooseSendingAfterNewSession(session);
        return result;
    }

    /// <summary>
    /// Runs the ratchet on <paramref name="working"/> (a copy or a new session) and opens the body. On any
    /// failure the working session and the keys it skipped are wiped, so the caller's state is untouched.
    /// </summary>
    private DecryptResult Advance(RatchetSession working, RatchetHeader header, byte[] associatedData, ReadOnlySpan<byte> body, List<SkippedKey> newlySkipped)
    {
        var failure = working.Advance(header, maxSkip, newlySkipped, out var messageKey);
        var result = failure is { } refused ? DecryptResult.Fail(refused) : Open(messageKey, associatedData, body);
        Kdf.Wipe(messageKey);
        if (!result.Succeeded)
        {
            working.Dispose();
            newlySkipped.ForEach(key => Kdf.Wipe(key.Key));
        }

        return result;
    }

    private static DecryptResult Open(byte[] messageKey, byte[] associatedData, ReadOnlySpan<byte> body)
    {
        var padded = MessageCipher.Open(messageKey, associatedData, body);
        if (padded is null)
        {
            return DecryptResult.Fail(DecryptFailure.Invalid);
        }

        try
        {
            return Padding.TryUnpad(padded, out var plaintext)
                ? DecryptResult.Success(plaintext)
                : DecryptResult.Fail(DecryptFailure.Malformed);
        }
        finally
        {
            Kdf.Wipe(padded);
        }
    }

    /// <summary>
    /// Both sides must send on the same session, or each keeps ratcheting one the other never replies on.
    /// A new session from the peer becomes our sending session, except in a simultaneous start: if our own
    /// session is still unanswered, the session started by the name that sorts first (ordinal) wins, and
    /// the peer, applying the same rule, switches to it when our prekey message arrives.
    /// </summary>
    private void ChooseSendingAfterNewSession(RatchetSession theirs)
    {
        if (sendingTo.TryGetValue(theirs.Peer, out var id) && sessions.TryGetValue(id, out var ours)
            && ours.PendingPrekey is not null
            && ours.PeerIdentity.SameKeysAs(theirs.PeerIdentity)
            && string.CompareOrdinal(MyName, theirs.Peer) < 0)
        {
            return;
        }

        sendingTo[theirs.Peer] = theirs.Id;
    }

    private void AddSession(RatchetSession session)
    {
        session.Sequence = nextSequence++;
        sessions.Add(session.Id, session);
        var sending = sendingTo.GetValueOrDefault(session.Peer);
        var surplus = sessions.Values
            .Where(other => other.Peer == session.Peer && other.Id != sending && other.Id != session.Id)
            .OrderBy(other => other.Sequence)
            .Take(Math.Max(0, SessionCount(session.Peer) - MaxSessionsPerPeer))
            .Select(other => other.Id)
            .ToList();
        surplus.ForEach(RemoveSession);
    }

    private void RemoveSession(SessionId id)
    {
        if (!sessions.Remove(id, out var session))
        {
            return;
        }

        if (!session.WeInitiated)
        {
            retired[id] = session.Prekeys.SignedPrekeyId;
        }

        skipped.RemoveWhere(owner => owner == id);
        session.Dispose();
    }

    private void Expire(DateTimeOffset now)
    {
        skipped.Expire(now);
        signedPrekeys.Expire(now);
        PruneRetired();
    }

    private void PruneRetired()
    {
        if (retired.Count == 0)
        {
            return;
        }

        var held = signedPrekeys.Ids.ToHashSet();
        foreach (var id in retired.Where(entry => !held.Contains(entry.Value)).Select(entry => entry.Key).ToList())
        {
            retired.Remove(id);
        }
    }

    private byte[] AssociatedData(RatchetSession session, byte[] header, MessageContext ctx) =>
        session.WeInitiated
            ? MessageCipher.AssociatedData(me.Public, session.PeerIdentity, header, ctx)
            : MessageCipher.AssociatedData(session.PeerIdentity, me.Public, header, ctx);

    private bool TryAssociatedData(RatchetSession session, byte[] header, MessageContext ctx, out byte[] associatedData) =>
        session.WeInitiated
            ? TryAssociatedData(me.Public, session.PeerIdentity, header, ctx, out associatedData)
            : TryAssociatedData(session.PeerIdentity, me.Public, header, ctx, out associatedData);

    private static bool TryAssociatedData(PublicIdentity initiator, PublicIdentity responder, byte[] header, MessageContext ctx, out byte[] associatedData)
    {
        try
        {
            associatedData = MessageCipher.AssociatedData(initiator, responder, header, ctx);
            return true;
        }
        catch (CryptoException)
        {
            associatedData = [];
            return false;
        }
    }
}
