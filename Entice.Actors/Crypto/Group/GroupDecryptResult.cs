using System.Diagnostics.CodeAnalysis;

namespace Entice.Crypto.Group;

/// <summary>Why a room message was not accepted. None of these changes any receiver state.</summary>
public enum GroupDecryptFailure
{
    /// <summary>Not a room message of this version: a length the sender cannot produce, unknown version, bad padding.</summary>
    Malformed = 1,

    /// <summary>No sender key with this id from this sender (not distributed to us yet, or forgotten).</summary>
    UnknownSenderKey,

    /// <summary>The iteration was already read (or its kept key was dropped): a copy.</summary>
    Replay,

    /// <summary>More than max-skip iterations ahead: refused before any key is derived or signature checked.</summary>
    TooFarAhead,

    /// <summary>The signature does not verify under the sender key's signing key: forged or altered.</summary>
    BadSignature,

    /// <summary>Correctly signed, but the sender's roster (epoch, member-set hash) is not ours; see <see cref="GroupDecryptResult.Mismatch"/>.</summary>
    RosterMismatch,

    /// <summary>Correctly signed, but the AEAD tag or the padding is wrong (a broken sender).</summary>
    Invalid,
}

/// <summary>
/// The sender's roster bound in a message against ours. <see cref="Difference"/> names the members that
/// differ when the sender's list is known (the key's distribution carried the list the message binds);
/// otherwise it is null. <see cref="OwnViewBehind"/>: the message's epoch is newer than ours, so our
/// roster update may merely not have arrived yet (retry after it does).
/// </summary>
public sealed record RosterMismatch(string Sender, ulong MessageEpoch, ulong OwnEpoch, RosterDifference? Difference)
{
    public bool OwnViewBehind => MessageEpoch > OwnEpoch;

    public override string ToString() =>
        $"roster mismatch with {Sender}: epoch {MessageEpoch} vs ours {OwnEpoch}; {(Difference is null ? "members unknown" : Difference.ToString())}";
}

/// <summary>The outcome of <see cref="SenderKeyReceiver.Decrypt"/>: the plaintext, or why there is none.</summary>
public sealed class GroupDecryptResult
{
    private GroupDecryptResult(byte[]? plaintext, GroupDecryptFailure? failure, RosterMismatch? mismatch, uint iteration)
    {
        Plaintext = plaintext;
        Failure = failure;
        Mismatch = mismatch;
        Iteration = iteration;
    }

    /// <summary>The unpadded plaintext (a ChatPlaintext encoding) when <see cref="Succeeded"/>.</summary>
    public byte[]? Plaintext { get; }

    public GroupDecryptFailure? Failure { get; }

    /// <summary>Set when <see cref="Failure"/> is <see cref="GroupDecryptFailure.RosterMismatch"/>.</summary>
    public RosterMismatch? Mismatch { get; }

    /// <summary>The message's iteration in its sender's chain (when it parsed).</summary>
    public uint Iteration { get; }

    [MemberNotNullWhen(true, nameof(Plaintext))]
    [MemberNotNullWhen(false, nameof(Failure))]
    public bool Succeeded => Plaintext is not null;

    internal static GroupDecryptResult Success(byte[] plaintext, uint iteration) => new(plaintext, null, null, iteration);

    internal static GroupDecryptResult Fail(GroupDecryptFailure failure, uint iteration = 0) => new(null, failure, null, iteration);

    internal static GroupDecryptResult Mismatched(RosterMismatch mismatch, uint iteration) => new(null, GroupDecryptFailure.RosterMismatch, mismatch, iteration);

    // Never print the plaintext.
    public override string ToString() =>
        Succeeded ? $"GroupDecryptResult(ok, #{Iteration}, {Plaintext.Length} bytes)" : $"GroupDecryptResult({Failure}{(Mismatch is null ? "" : ": " + Mismatch)})";
}
