namespace Entice.Crypto.Ratchet;

/// <summary>Why a ciphertext was not accepted. None of these changes any session state.</summary>
public enum DecryptFailure
{
    /// <summary>Not a ciphertext of this version: wrong length, unknown version byte, bad padding inside.</summary>
    Malformed = 1,

    /// <summary>Addressed to a prekey we do not hold (an old bundle of ours, or another recipient).</summary>
    UnknownPrekey,

    /// <summary>Its message key was already used, or it sits below the chain with no skipped key left.</summary>
    Replay,

    /// <summary>More than maxSkip messages ahead of the chain: refused rather than derive that many keys.</summary>
    TooFarAhead,

    /// <summary>Authentication failed: tampering, wrong keys, a forged bundle, or the wrong context.</summary>
    Invalid,

    /// <summary>
    /// An ordinary message of a session we do not have (never started, or lost with our state): the sender
    /// must start a new session. Only a prekey message can create one.
    /// </summary>
    UnknownSession,
}
