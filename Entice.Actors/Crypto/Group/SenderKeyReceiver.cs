using System.Security.Cryptography;
using Entice.Crypto.Primitives;
using Entice.Wire;
using NSec.Cryptography;

namespace Entice.Crypto.Group;

/// <summary>
/// One member's receiving side of the sender keys of one room: per sender, its two newest sender keys
/// (messages still in flight under the previous key after a rotation stay readable) and its kept skipped
/// message keys. Every bound is per sender. Checks run cheapest first and nothing changes until a message
/// has passed all of them:
/// parse → key lookup → replay / too far (no key derived, no signature checked) → Ed25519 signature →
/// roster (epoch and member-set hash against the receiver's own view) → chain steps on copies → AEAD and
/// padding → commit (advance the chain, keep skipped keys, wipe the used one).
/// Never throws on what a peer or the relay sends.
/// </summary>
public sealed class SenderKeyReceiver : IDisposable
{
    /// <summary>Sender keys kept per sender: the current one and the one before it.</summary>
    public const int KeysPerSender = 2;

    private readonly SenderKeyOptions options;
    private readonly Dictionary<string, SenderState> senders = new(StringComparer.Ordinal);

    public SenderKeyReceiver(string room, SenderKeyOptions options)
    {
        ArgumentNullException.ThrowIfNull(room);
        ArgumentNullException.ThrowIfNull(options);
        Room = room;
        this.options = options.Validated();
    }

    public string Room { get; }

    /// <summary>
    /// Takes over a distribution that <paramref name="fromPeer"/>'s pairwise session delivered (parse it with
    /// <see cref="SenderKeyDistribution.Parse"/> first). A third key from one sender drops its oldest.
    /// The distribution's chain key is wiped either way.
    /// </summary>
    public DistributionOutcome Accept(SenderKeyDistribution distribution, string fromPeer)
    {
        ArgumentNullException.ThrowIfNull(distribution);
        try
        {
            if (!string.Equals(distribution.Room, Room, StringComparison.Ordinal))
                return DistributionOutcome.WrongRoom;
            if (!string.Equals(distribution.Sender, fromPeer, StringComparison.Ordinal))
                return DistributionOutcome.WrongSender;
            if (!senders.TryGetValue(fromPeer, out var state))
            {
                if (senders.Count >= WireLimits.MaxMembers)
                    return DistributionOutcome.TooManySenders;
                senders[fromPeer] = state = new SenderState(options.MaxSkippedKept);
            }

            if (state.Find(distribution.KeyId) is not null)
                return DistributionOutcome.AlreadyKnown;
            state.Add(new ReceivedSenderKey(distribution));
            return DistributionOutcome.Accepted;
        }
        finally
        {
            Kdf.Wipe(distribution.ChainKey);
        }
    }

    /// <summary>True when a key with <paramref name="keyId"/> from <paramref name="sender"/> is held.</summary>
    public bool Holds(string sender, uint keyId) => senders.TryGetValue(sender, out var s) && s.Find(keyId) is not null;

    /// <summary>How many skipped message keys are kept for <paramref name="sender"/>.</summary>
    public int SkippedKeyCount(string sender) => senders.TryGetValue(sender, out var s) ? s.Skipped.Count : 0;

    /// <summary>Drops (and wipes) everything held for <paramref name="sender"/>, e.g. when it left the room.</summary>
    public void Forget(string sender)
    {
        if (senders.Remove(sender, out var state))
            state.Dispose();
    }

    /// <summary>Forgets (and wipes) every sender not in <paramref name="members"/>: the keys of one who left are no longer kept.</summary>
    public void ForgetAllBut(IReadOnlySet<string> members)
    {
        foreach (var sender in senders.Keys.Where(s => !members.Contains(s)).ToList())
            Forget(sender);
    }

    /// <summary>How many senders this receiver holds keys of.</summary>
    public int SenderCount => senders.Count;

    /// <summary>The iteration the chain of <paramref name="sender"/>'s key <paramref name="keyId"/> is at, or null.</summary>
    public uint? NextIteration(string sender, uint keyId) => senders.TryGetValue(sender, out var s) ? s.Find(keyId)?.Next : null;

    /// <summary>The saved form: per sender, its keys oldest first (as distributions at their current iteration) and its kept skipped keys.</summary>
    internal IEnumerable<(string Sender, IReadOnlyList<ReceivedSenderKey> Keys, IEnumerable<(uint KeyId, uint Iteration, byte[] Key)> Skipped)> Snapshot() =>
        senders.Select(p => (p.Key, p.Value.Keys, p.Value.Skipped.OldestFirst));

    /// <summary>Restores one kept skipped key (takes ownership); false (the key wiped) unless it belongs below a held key's chain.</summary>
    internal bool RestoreSkipped(string sender, uint keyId, uint iteration, byte[] key)
    {
        if (!senders.TryGetValue(sender, out var state) || state.Find(keyId) is not { } held || iteration >= held.Next || key.Length != Kdf.HmacKeySize)
        {
            Kdf.Wipe(key);
            return false;
        }

        state.Skipped.Add(keyId, iteration, key);
        return true;
    }

    /// <summary>The roster epoch a room message binds, without any other work (to pick which own view to check against).</summary>
    public static bool TryPeekEpoch(ReadOnlySpan<byte> message, out ulong epoch)
    {
        var ok = GroupMessageHeader.TryParse(message, out var header);
        epoch = header.Epoch;
        return ok;
    }

    /// <summary>
    /// Reads a room message from <paramref name="sender"/> (the routing header's sender and envelope id),
    /// accepting it only if it binds <paramref name="ownView"/>'s epoch and member set.
    /// </summary>
    public GroupDecryptResult Decrypt(string sender, ulong envelopeId, ReadOnlySpan<byte> message, RosterView ownView)
    {
        ArgumentNullException.ThrowIfNull(ownView);
        if (sender is null || !GroupMessageHeader.TryParse(message, out var header))
            return GroupDecryptResult.Fail(GroupDecryptFailure.Malformed);
        var iteration = header.Iteration;
        if (!senders.TryGetValue(sender, out var state) || state.Find(header.KeyId) is not { } key)
            return GroupDecryptResult.Fail(GroupDecryptFailure.UnknownSenderKey, iteration);

        var fromSkipped = iteration < key.Next;
        if (fromSkipped && !state.Skipped.TryGet(key.KeyId, iteration, out _))
            return GroupDecryptResult.Fail(GroupDecryptFailure.Replay, iteration);
        if (!fromSkipped && (iteration - key.Next > (uint)options.MaxSkip || iteration == uint.MaxValue))
            return GroupDecryptResult.Fail(GroupDecryptFailure.TooFarAhead, iteration);

        try
        {
            var signedLength = message.Length - GroupMessageHeader.SignatureSize;
            var toVerifyLength = GroupCipher.FieldsLength(GroupLabels.Signature, Room, sender, signedLength);
            var adLength = GroupCipher.FieldsLength(GroupLabels.AssociatedData, Room, sender, GroupMessageHeader.Size);
            if (toVerifyLength < 0 || adLength < 0)
                return GroupDecryptResult.Fail(GroupDecryptFailure.Malformed, iteration); // a sender name that is not strict UTF-8
            // The signed bytes and the AD are written on the stack (on the heap when long): no allocation.
            var toVerify = toVerifyLength <= StackFields ? stackalloc byte[toVerifyLength] : new byte[toVerifyLength];
            GroupCipher.WriteFields(toVerify, GroupLabels.Signature, Room, sender, envelopeId, message[..signedLength]);
            if (!Libsodium.VerifyDetached(message[signedLength..], toVerify, key.SigningPublicKey))
                return GroupDecryptResult.Fail(GroupDecryptFailure.BadSignature, iteration);

            if (!ownView.Matches(header.Epoch, header.MemberSetHash))
            {
                var difference = key.Roster.Matches(header.Epoch, header.MemberSetHash) ? ownView.DifferenceFrom(key.Roster.Members) : null;
                return GroupDecryptResult.Mismatched(new RosterMismatch(sender, header.Epoch, ownView.Epoch, difference), iteration);
            }

            var associatedData = adLength <= StackFields ? stackalloc byte[adLength] : new byte[adLength];
            GroupCipher.WriteFields(associatedData, GroupLabels.AssociatedData, Room, sender, envelopeId, message[..GroupMessageHeader.Size]);
            var body = message[GroupMessageHeader.Size..signedLength];
            return fromSkipped ? OpenSkipped(state, key, iteration, associatedData, body)
                : iteration == key.Next ? OpenNext(key, iteration, associatedData, body)
                : OpenAhead(state, key, iteration, associatedData, body);
        }
        catch (CryptoException)
        {
            return GroupDecryptResult.Fail(GroupDecryptFailure.Malformed, iteration); // e.g. a sender name that is not strict UTF-8
        }
    }

    // AD and signed bytes up to this size are written on the stack (a chat line signs a few hundred bytes).
    private const int StackFields = 2048;

    // A padded plaintext up to this size is opened on the stack.
    private const int StackPlaintext = 1024;

    /// <summary>
    /// The common case: the next message on the chain (nothing skipped). Keys on the stack, the chain key
    /// overwritten in place once the tag verifies; nothing changes otherwise.
    /// </summary>
    private static GroupDecryptResult OpenNext(ReceivedSenderKey key, uint iteration, ReadOnlySpan<byte> associatedData, ReadOnlySpan<byte> body)
    {
        Span<byte> messageKey = stackalloc byte[Kdf.HmacKeySize];
        Span<byte> nextChainKey = stackalloc byte[Kdf.HmacKeySize];
        try
        {
            Kdf.ChainStepInto(key.ChainKey, messageKey, nextChainKey);
            if (Unpadded(messageKey, associatedData, body) is not { } plaintext)
                return GroupDecryptResult.Fail(GroupDecryptFailure.Invalid, iteration);
            key.AdvanceInPlace(nextChainKey, iteration + 1);
            return GroupDecryptResult.Success(plaintext, iteration);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(messageKey);
            CryptographicOperations.ZeroMemory(nextChainKey);
        }
    }

    // Opens into a stack buffer (heap when long), zeroed after; the unpadded plaintext, or null.
    private static byte[]? Unpadded(ReadOnlySpan<byte> messageKey, ReadOnlySpan<byte> associatedData, ReadOnlySpan<byte> body)
    {
        var paddedLength = body.Length - GroupMessageHeader.TagSize;
        if (paddedLength < 0)
            return null;
        var padded = paddedLength <= StackPlaintext ? stackalloc byte[paddedLength] : new byte[paddedLength];
        try
        {
            return MessageCipher.OpenInto(messageKey, associatedData, body, padded, GroupLabels.MessageKeys)
                && Padding.TryUnpad(padded, out var plaintext) ? plaintext : null;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(padded);
        }
    }

    private static GroupDecryptResult OpenSkipped(SenderState state, ReceivedSenderKey key, uint iteration, ReadOnlySpan<byte> associatedData, ReadOnlySpan<byte> body)
    {
        state.Skipped.TryGet(key.KeyId, iteration, out var messageKey);
        if (Unpadded(messageKey, associatedData, body) is not { } plaintext)
            return GroupDecryptResult.Fail(GroupDecryptFailure.Invalid, iteration);
        state.Skipped.Remove(key.KeyId, iteration);
        return GroupDecryptResult.Success(plaintext, iteration);
    }

    private GroupDecryptResult OpenAhead(SenderState state, ReceivedSenderKey key, uint iteration, ReadOnlySpan<byte> associatedData, ReadOnlySpan<byte> body)
    {
        // Step copies; keep only the newest max-skipped-kept of the skipped keys; adopt nothing until the tag verifies.
        var chainKey = key.ChainKey.ToArray();
        var skipped = new List<(uint Iteration, byte[] Key)>();
        byte[]? messageKey = null;
        var adopted = false;
        try
        {
            for (var i = key.Next; i < iteration; i++)
            {
                var (skippedKey, next) = Kdf.ChainStep(chainKey);
                Kdf.Wipe(chainKey);
                chainKey = next;
                if (iteration - i <= (uint)options.MaxSkippedKept)
                    skipped.Add((i, skippedKey));
                else
                    Kdf.Wipe(skippedKey);
            }

            (messageKey, var nextChainKey) = Kdf.ChainStep(chainKey);
            Kdf.Wipe(chainKey);
            chainKey = nextChainKey;
            if (Unpadded(messageKey, associatedData, body) is not { } plaintext)
                return GroupDecryptResult.Fail(GroupDecryptFailure.Invalid, iteration);

            key.Advance(chainKey, iteration + 1);
            foreach (var (at, kept) in skipped)
                state.Skipped.Add(key.KeyId, at, kept);
            adopted = true;
            return GroupDecryptResult.Success(plaintext, iteration);
        }
        finally
        {
            Kdf.Wipe(messageKey);
            if (!adopted)
            {
                Kdf.Wipe(chainKey);
                foreach (var (_, kept) in skipped)
                    Kdf.Wipe(kept);
            }
        }
    }

    public void Dispose()
    {
        foreach (var state in senders.Values)
            state.Dispose();
        senders.Clear();
    }

    public override string ToString() => $"SenderKeyReceiver({Room}, {senders.Count} senders)";

    private sealed class SenderState(int maxSkippedKept) : IDisposable
    {
        private readonly List<ReceivedSenderKey> keys = [];

        public SkippedGroupKeys Skipped { get; } = new(maxSkippedKept);

        public ReceivedSenderKey? Find(uint keyId) => keys.Find(k => k.KeyId == keyId);

        public IReadOnlyList<ReceivedSenderKey> Keys => keys;

        public void Add(ReceivedSenderKey key)
        {
            if (keys.Count >= KeysPerSender)
            {
                var oldest = keys[0];
                keys.RemoveAt(0);
                Skipped.RemoveKey(oldest.KeyId);
                oldest.Dispose();
            }

            keys.Add(key);
        }

        public void Dispose()
        {
            foreach (var key in keys)
                key.Dispose();
            keys.Clear();
            Skipped.Dispose();
        }
    }
}
