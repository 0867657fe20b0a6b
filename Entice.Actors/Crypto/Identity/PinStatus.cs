namespace Entice.Crypto.Identity;

/// <summary>What trust-on-first-use makes of a peer's keys.</summary>
public enum PinStatus
{
    /// <summary>First time we see this name: its keys are now pinned (unverified).</summary>
    New = 1,

    /// <summary>The keys match the pin.</summary>
    Same,

    /// <summary>The keys differ from the pin: warn loudly; nothing is re-pinned until the user accepts.</summary>
    Changed,
}
