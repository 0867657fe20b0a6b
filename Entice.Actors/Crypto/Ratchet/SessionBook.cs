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
}
