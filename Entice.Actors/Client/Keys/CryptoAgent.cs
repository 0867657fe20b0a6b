using Akka.Actor;
using Entice.Wire;
using Entice.Crypto.Ratchet;
using Entice.Crypto.Storage;
using Entice.Crypto.Identity;

namespace Entice.Client.Keys;

/// <summary>
/// The client's crypto actor: the only place that holds private keys and session state, and the only
/// place where plaintext becomes ciphertext and back. It pins peers' keys (trust on first use) and
/// refuses to encrypt to a peer whose key changed until the user accepts the change.
/// </summary>
public static class CryptoAgent
{
    /// <summary>Error code of the <see cref="DecryptRejected"/> that says our sessions with a peer were reset.</summary>
    public const string SessionResetCode = "session_reset";

    /// <summary>Name of the small public file in the key directory that records when the current signed prekey was made.</summary>
    public const string PrekeyInfoFileName = "signed-prekey.txt";

    /// <summary>Error code of an answer about a peer whose published keys are unusable (see <see cref="PublicKeyCheck"/>).</summary>
    public const string InvalidKeyCode = "invalid_key";

    /// <param name="keys">The actor loads the identity and sessions from here when it starts, and again after a
    /// restart (nothing disposable is captured in the Props, so a crash never leaves it without keys).</param>
    public static Props Props(string name, KeyDirectory keys, int maxSkip) =>
        Props(name, keys, new Options { MaxSkip = maxSkip });

    /// <inheritdoc cref="Props(string, KeyDirectory, int)"/>
    public static Props Props(string name, KeyDirectory keys, Options options) =>
        Akka.Actor.Props.Create(() => new CryptoAgentActor(name, keys, options));

    /// <summary>
    /// The actor's knobs. A null value is read from <c>entice.client</c> in the actor system's config
    /// (see hocon/client.conf), else the built-in default.
    /// </summary>
    public sealed record Options
    {
        public int MaxSkip { get; init; } = SessionBook.DefaultMaxSkip;

        /// <summary>A signed prekey older than this is replaced at start and when the identity is asked for (default 7 days).</summary>
        public TimeSpan? SignedPrekeyRotation { get; init; }

        /// <summary>How long a replaced signed prekey is still accepted (default 14 days).</summary>
        public TimeSpan? SignedPrekeyGracePeriod { get; init; }

        /// <summary>Consecutive unreadable messages from one peer (unknown session or prekey, failed authentication) before its sessions are reset (default 2).</summary>
        public int? SessionResetAfter { get; init; }

        /// <summary>One-time prekeys kept published (default 100).</summary>
        public int? OneTimePrekeys { get; init; }

        /// <summary>Fewer unused one-time prekeys than this and a fresh batch is offered for publishing (default 20).</summary>
        public int? OneTimePrekeysLow { get; init; }

        /// <summary>Skipped message keys kept for any one peer (default 250; the total is <see cref="MaxSkip"/>).</summary>
        public int? MaxSkipPerPeer { get; init; }

        /// <summary>How far into its first chain a message that starts a session may be (default 32).</summary>
        public int? MaxSkipNewSession { get; init; }

        /// <summary>Unreadable session-starting messages in a row from one peer before it is throttled (default 5).</summary>
        public int? ThrottleAfter { get; init; }

        /// <summary>A throttled peer gets one session-starting message tried per this interval (default 1 s).</summary>
        public TimeSpan? ThrottleInterval { get; init; }

        /// <summary>
        /// For tests: runs on the key writer's thread before each write of the key files (a slow or stuck disk).
        /// Answers that depend on the write wait for it; the crypto actor itself keeps working.
        /// </summary>
        public Action? BeforeKeyWrite { get; init; }

        /// <summary>
        /// For tests: runs on the key writer's thread before each flush of the key files to disk (a durable save,
        /// or the background flush after writes left in the page cache).
        /// </summary>
        public Action? BeforeKeySync { get; init; }

        /// <summary>Sending-chain steps (and send sequence numbers) reserved ahead in each save (default <c>entice.client.send-reservation</c>, 32; at most half of the per-peer max-skip).</summary>
        public int? SendReservation { get; init; }

        /// <summary>How long a key-file write may stay unflushed (default <c>entice.client.key-sync-interval</c>, 1 s).</summary>
        public TimeSpan? KeySyncInterval { get; init; }

        /// <summary>
        /// Whether a live message is answered (<see cref="Decrypted"/> with <c>Saved</c> false) before the write of its
        /// new state, with <see cref="DecryptSaved"/> after it (default <c>entice.client.show-before-save</c>, on).
        /// </summary>
        public bool? ShowBeforeSave { get; init; }

        /// <summary>Sender keys for rooms (default: <c>entice.client.sender-keys</c>).</summary>
        public Crypto.Group.SenderKeyOptions? SenderKeys { get; init; }

        /// <summary>For tests: the time (default the system clock).</summary>
        public Func<DateTimeOffset>? Clock { get; init; }
    }

    /// <summary>What a key directory holds, judged from its files without a passphrase.</summary>
    public enum KeyDirectoryKind
    {
        /// <summary>No identity yet: it will be created (protected if a passphrase is given).</summary>
        New,

        /// <summary>An identity stored without a passphrase.</summary>
        Plain,

        /// <summary>An identity sealed under a passphrase.</summary>
        Protected,
    }

    /// <summary>Whether <paramref name="path"/> holds no identity, a plain one or a passphrase-protected one.</summary>
    public static KeyDirectoryKind InspectKeyDirectory(string path)
    {
        var file = System.IO.Path.Combine(path, KeyDirectory.IdentityFileName);
        if (!File.Exists(file))
            return KeyDirectoryKind.New;
        var bytes = File.ReadAllBytes(file);
        try
        {
            return bytes.Length != 2 * IdentityKeys.PrivateKeySize && SealedFile.LooksSealed(bytes) ? KeyDirectoryKind.Protected : KeyDirectoryKind.Plain;
        }
        finally
        {
            Array.Clear(bytes);
        }
    }

    public sealed record GetIdentity;

    public sealed record IdentityInfo(IdentityBundle Bundle, string Fingerprint);

    public sealed record SignHello(byte[] Challenge);

    public sealed record HelloSigned(byte[] Signature);

    /// <summary>A member was announced by the server: pin or compare its keys.</summary>
    public sealed record ObservePeer(MemberInfo Peer);

    /// <param name="Verified">The user compared safety numbers with this key before (a verification is kept in the pin store).</param>
    /// <param name="NeedsSession">Writing to this peer would start a new session: fetch one of its one-time prekeys first.</param>
    public sealed record PeerObserved(string Name, PeerKeyStatus Status, bool Verified = false, bool NeedsSession = false);

    /// <summary>Asks for the one-time prekeys to publish (topped up first).</summary>
    public sealed record GetPrekeysToPublish;

    /// <summary>Publish these (all still unused); also sent unasked when the batch runs low.</summary>
    public sealed record PrekeysToPublish(IReadOnlyList<OneTimePrekey> Prekeys);

    /// <summary>A one-time prekey of <paramref name="Peer"/> from the server, for the next session started with them.</summary>
    public sealed record ProvidePrekey(string Peer, OneTimePrekey Prekey);

    /// <summary>Encrypt <paramref name="Text"/> for one recipient; answered with Encrypted or EncryptRefused.</summary>
    /// <param name="ReceiptFor">When set, the envelope is a delivery receipt for these envelope ids instead of text.</param>
    public sealed record Encrypt(MemberInfo Recipient, string Room, bool Direct, string Text, ulong EnvelopeId, IReadOnlyList<ulong>? ReceiptFor = null)
    {
        public override string ToString() => $"Encrypt {{ Recipient = {Recipient.Name}, Room = {Room}, Id = {EnvelopeId} }}";
    }

    /// <param name="Distribution">A sender key handed to one member over the pairwise session, sent unasked before
    /// the room message of an <see cref="EncryptRoom"/> (no typed message waits for it).</param>
    public sealed record Encrypted(Envelope Envelope, bool Distribution = false);

    public sealed record EncryptRefused(string Recipient, string Code, string Reason, ulong EnvelopeId = 0, bool Distribution = false);

    /// <summary>
    /// Encrypt <paramref name="Text"/> once for the whole room with this client's sender key for it: answered with
    /// one room-wide <see cref="Encrypted"/> (recipient empty), preceded, when the key is new (first message,
    /// rotation), by one <see cref="Encrypted"/> (or <see cref="EncryptRefused"/>) per member with
    /// <c>Distribution</c> set, carrying the key over the pairwise session. <paramref name="Members"/>: the
    /// others in the room as the chat actor knows them now; envelope ids from <paramref name="FirstDistributionId"/>
    /// on (one per member) are the distributions'.
    /// </summary>
    /// <param name="NewKey">Make a new sender key even if the roster did not change (no longer asked by the chat actor:
    /// sender keys are saved, so a member who restarted still holds ours; kept for callers that want a fresh key).</param>
    public sealed record EncryptRoom(string Room, IReadOnlyList<MemberInfo> Members, string Text, ulong EnvelopeId, ulong FirstDistributionId, bool NewKey = false)
    {
        public override string ToString() => $"EncryptRoom {{ Room = {Room}, Members = {Members.Count}, Id = {EnvelopeId} }}";
    }

    /// <summary>A pairwise envelope from <paramref name="From"/> carried its sender key for <paramref name="Room"/>: nothing to show.</summary>
    public sealed record SenderKeyTaken(string From, string Room, ulong Ticket = 0);

    /// <summary>Error code of a room message whose sender saw another member set than we do (a ghost, a hidden member, a swapped key).</summary>
    public const string RosterMismatchCode = "roster_mismatch";

    /// <summary>
    /// Decrypt an envelope from <paramref name="Sender"/>; answered, in request order, with Decrypted,
    /// DecryptRejected or DecryptHeld carrying the same <paramref name="Ticket"/>.
    /// </summary>
    /// <param name="RoomMembers">For a room-wide envelope: the others in the room as the chat actor knew them when
    /// it arrived (our own view, which the message's member-set hash must match).</param>
    public sealed record Decrypt(Envelope Envelope, MemberInfo Sender, ulong Ticket = 0, IReadOnlyList<MemberInfo>? RoomMembers = null)
    {
        /// <summary>
        /// Answer only once the state it leaves is flushed to disk (an envelope the relay stored for us: its
        /// acknowledgement lets the relay delete it). Otherwise the answer waits for the write but not its fsync.
        /// </summary>
        public bool Durable { get; init; }
    }

    /// <summary>
    /// A message from <paramref name="From"/>, authenticated. <see cref="Sequence"/> numbers the sender's
    /// messages to us in <see cref="Conversation"/> (1, 2, ... with no gaps as sent; authenticated, kept across
    /// the sender's restarts), so a gap or a reorder by the relay shows. Receipts are not numbered (0).
    /// </summary>
    public sealed record Decrypted(string Room, string From, bool Direct, ChatPlaintext Plaintext, ulong Ticket = 0)
    {
        /// <summary><c>#room</c> for a room message, <c>@a|b</c> (both names, ordinal order) for a direct one.</summary>
        public string Conversation { get; init; } = "";

        /// <summary>The sender's number for this message in <see cref="Conversation"/>; 0 for a receipt.</summary>
        public ulong Sequence => Plaintext.ReceiptFor is null ? Plaintext.Sequence : 0;

        /// <summary>
        /// False: answered before the new state is written (a live message, to be shown at once); a
        /// <see cref="DecryptSaved"/> with the same ticket follows once it is. Nothing that tells anyone else the
        /// message was read (a receipt, a stored envelope's acknowledgement) may leave before that.
        /// </summary>
        public bool Saved { get; init; } = true;

        public override string ToString() => $"Decrypted {{ From = {From}, Room = {Room}, Sequence = {Sequence}, Ticket = {Ticket} }}";
    }

    public sealed record DecryptRejected(string From, string Code, string Reason, ulong Ticket = 0);

    /// <summary>The state a <see cref="Decrypted"/> answered before its save (<c>Saved</c> false) left is now written.</summary>
    public sealed record DecryptSaved(ulong Ticket);

    /// <summary>
    /// From a peer whose key changed: kept, unread, until the user trusts the new key; then it is
    /// answered again (Decrypted or DecryptRejected, same ticket).
    /// </summary>
    public sealed record DecryptHeld(string From, ulong Ticket = 0);

    public sealed record ComputeSafetyNumber(MemberInfo Peer);

    public sealed record SafetyNumberComputed(string Peer, string Digits);

    /// <summary>Accept the peer's current key; held messages from it are then decrypted and answered.</summary>
    public sealed record Trust(MemberInfo Peer);

    public sealed record TrustAccepted(string Peer);

    /// <summary>The user compared safety numbers with the peer's current key: remember it as verified.</summary>
    public sealed record MarkVerified(MemberInfo Peer);

    public sealed record VerificationRecorded(string Peer);

    public sealed record VerificationRefused(string Peer, string Reason);
}

public enum PeerKeyStatus
{
    /// <summary>First time seen: pinned now.</summary>
    New,

    /// <summary>Same keys as pinned.</summary>
    Known,

    /// <summary>Different keys than pinned: blocked until the user trusts them.</summary>
    Changed,

    /// <summary>
    /// The keys do not verify (bad binding or prekey signature) or are unusable (a low-order or non-canonical
    /// point): refused for now, without touching the pin, so a later valid announcement of the pinned keys is Known.
    /// </summary>
    Invalid,
}
