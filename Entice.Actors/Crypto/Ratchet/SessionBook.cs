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
public sealed partial class SessionBook : IDisposable
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
    // The saved state's MAC key (an X25519 and an HKDF to derive): made at the first export, zeroed on dispose.
    private byte[]? stateMacKey;

    // Send reservations (see Export): steps reserved ahead per sending chain; per send sequence, the value the
    // latest export wrote and the value a durable save holds; what the export in flight carries.
    private readonly int sendReservation;
    private readonly Dictionary<SendSequenceKey, (ulong Exported, ulong Durable)> sequenceReservations = [];
    private readonly List<(SessionId Id, int Version, uint Index)> pendingChains = [];
    private readonly Dictionary<SendSequenceKey, ulong> pendingSequences = [];

    public SessionBook(
        IdentityKeys me,
        string myName,
        SignedPrekey myPrekey,
        int maxSkip = DefaultMaxSkip,
        TimeSpan? skippedKeyLifetime = null,
        Func<DateTimeOffset>? clock = null,
        TimeSpan? signedPrekeyGracePeriod = null,
        int? maxSkipPerPeer = null,
        int maxSkipNewSession = DefaultMaxSkipNewSession,
        int sendReservation = 0)
        : this(me, myName, maxSkip, skippedKeyLifetime, clock, signedPrekeyGracePeriod, maxSkipPerPeer, maxSkipNewSession, sendReservation)
    {
        ArgumentNullException.ThrowIfNull(myPrekey);
        signedPrekeys.Add(myPrekey.Copy(me), this.clock());
    }

    private SessionBook(
        IdentityKeys me, string myName, int maxSkip, TimeSpan? skippedKeyLifetime, Func<DateTimeOffset>? clock, TimeSpan? signedPrekeyGracePeriod,
        int? maxSkipPerPeer, int maxSkipNewSession, int sendReservation)
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
        // A crash skips the peer's view of our chain ahead by up to this much: it must stay well inside what
        // the peer accepts as a skip (the same defaults on both sides), leaving room for real reordering.
        ArgumentOutOfRangeException.ThrowIfNegative(sendReservation);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(sendReservation, MaxSendReservation(this.maxSkip));
        this.sendReservation = sendReservation;
        this.clock = clock ?? (() => DateTimeOffset.UtcNow);
        signedPrekeys = new SignedPrekeyRing(grace);
        skipped = new SkippedMessageKeys(maxSkip, lifetime, maxSkipPerPeer);
        OneTimePrekeys = new OneTimePrekeys();
    }

    public string MyName { get; }

    /// <summary>The largest send reservation allowed with <paramref name="maxSkip"/> (per peer): half of it.</summary>
    public static int MaxSendReservation(int maxSkip) => Math.Max(0, maxSkip) / 2;

    /// <summary>
    /// True when something sent since the last <see cref="Export"/> is not covered by a durable save (a new
    /// session, a step or sequence number past the saved reservation): the send must wait for a save.
    /// </summary>
    public bool SendNeedsSave { get; private set; }

    /// <summary>True when a send since the last export used more than half of a saved reservation: time to save the next.</summary>
    public bool ReservationLow { get; private set; }

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

    public void Dispose()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        if (stateMacKey is not null)
            Kdf.Wipe(stateMacKey);
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

    // Steps reserved ahead of a session's sending chain in a save. A session we started that the peer has not
    // answered may be unknown to it, and a message starting a session may be at most maxSkipNewSession in.
    private int ReservationFor(RatchetSession session) =>
        session.PendingPrekey is null
            ? sendReservation
            : (int)Math.Min(sendReservation, Math.Max(0L, (long)maxSkipNewSession - session.SendIndex));

    private ulong SequenceToSave(SendSequenceKey key, ulong last)
    {
        var (exported, durable) = sequenceReservations.GetValueOrDefault(key);
        if (sendReservation > 0 && exported >= last && exported - last > (ulong)sendReservation / 2)
        {
            return exported;
        }

        var target = sendReservation == 0 ? last : last + (ulong)sendReservation;
        sequenceReservations[key] = (target, durable);
        return target;
    }

    // After a send: does it need a save before it may leave, and is it time to reserve the next block?
    private void NoteSend(RatchetSession session, uint usedIndex, bool newSession)
    {
        if (newSession || usedIndex >= session.DurableIndex)
        {
            SendNeedsSave = true;
        }
        else if ((ulong)session.SendIndex + ((uint)ReservationFor(session) / 2) >= session.ExportedIndex)
        {
            ReservationLow = true;
        }
    }
}
