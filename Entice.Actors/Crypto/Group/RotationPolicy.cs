namespace Entice.Crypto.Group;

/// <summary>
/// When a sender must start a new sender key: a pure function of the roster the key was made for, the
/// sender's current view, how many messages the key has carried and its age. Membership reasons come first
/// (they are about who can read the next message), then the healing limits.
/// </summary>
public static class RotationPolicy
{
    public static RotationReason Check(RosterView keyRoster, RosterView current, long messagesSent, DateTimeOffset createdAt, DateTimeOffset now, SenderKeyOptions options)
    {
        ArgumentNullException.ThrowIfNull(keyRoster);
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(options);
        foreach (var member in keyRoster.Members)
        {
            if (current.Find(member.Name) is not { } seen)
                return RotationReason.MemberLeft;
            if (!seen.Equals(member))
                return RotationReason.MemberKeyChanged;
        }

        if (current.Members.Count != keyRoster.Members.Count)
            return RotationReason.MemberJoined;
        if (current.Epoch != keyRoster.Epoch)
            return RotationReason.EpochChanged;
        if (messagesSent >= options.RotateAfterMessages)
            return RotationReason.MessageLimit;
        if (now < createdAt || now - createdAt >= options.RotateAfter)
            return RotationReason.Age;
        return RotationReason.None;
    }
}
