namespace Entice.Crypto.Group;

/// <summary>What <see cref="SenderKeyReceiver.Accept"/> did with a distribution.</summary>
public enum DistributionOutcome
{
    /// <summary>Stored: the sender's messages under this key can now be read.</summary>
    Accepted = 1,

    /// <summary>A key with this id from this sender is already held; the one held is kept (its position may be ahead).</summary>
    AlreadyKnown,

    /// <summary>For another room than this receiver's.</summary>
    WrongRoom,

    /// <summary>The pairwise peer that delivered it is not the sender it names: a member cannot hand out keys in another's name.</summary>
    WrongSender,

    /// <summary>Already as many senders as a roster may hold.</summary>
    TooManySenders,
}
