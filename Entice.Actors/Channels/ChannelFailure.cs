namespace Entice.Channels;

/// <summary>Why a channel handshake or record failed; any failure ends that one connection.</summary>
public enum ChannelFailure
{
    /// <summary>The first bytes are not a channel preamble: a plaintext or old-protocol client, or noise.</summary>
    NotAChannelClient,

    /// <summary>The preamble names another version of the channel.</summary>
    UnsupportedVersion,

    /// <summary>A length or layout that the protocol never produces (or bytes sent out of turn).</summary>
    Malformed,

    /// <summary>A handshake message or record did not authenticate: altered, replayed, reordered, or another key.</summary>
    AuthenticationFailed,

    /// <summary>The server's static key is not the one expected for this address (pinned or given).</summary>
    ServerKeyMismatch,

    /// <summary>A frame put together from records would be larger than the largest frame allowed.</summary>
    FrameTooLarge,

    /// <summary>The client asked for a cipher suite this server does not accept or cannot run (the reason names the ones it does).</summary>
    SuiteRefused,
}

/// <summary>A classified failure with a short reason that holds no secret and no peer text.</summary>
public sealed record ChannelError(ChannelFailure Kind, string Reason)
{
    public override string ToString() => $"{Kind}: {Reason}";
}
