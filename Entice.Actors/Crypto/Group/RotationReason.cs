namespace Entice.Crypto.Group;

/// <summary>Why a sender must start a new sender key before its next message (<see cref="RotationPolicy"/>).</summary>
public enum RotationReason
{
    /// <summary>The current key may go on.</summary>
    None = 0,

    /// <summary>A member the key was given to has left: it must not read what follows.</summary>
    MemberLeft,

    /// <summary>A member's identity keys changed: the key was given to the old keys' holder.</summary>
    MemberKeyChanged,

    /// <summary>A member joined: the new key (and its member list) goes to everyone, the newcomer included.</summary>
    MemberJoined,

    /// <summary>Same members, new epoch: messages bind the epoch, so the key's epoch must be current.</summary>
    EpochChanged,

    /// <summary>rotate-after-messages reached (healing after a compromise of the chain key).</summary>
    MessageLimit,

    /// <summary>rotate-after reached, or the clock went back past the key's creation.</summary>
    Age,
}
