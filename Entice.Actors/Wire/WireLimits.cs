namespace Entice.Wire;

/// <summary>
/// Hard limits of the binary codec. They bound what a hostile peer can make us allocate per message,
/// and the key sizes are the only ones the crypto layer accepts, so anything else is rejected at the edge.
/// </summary>
public static class WireLimits
{
    /// <summary>Default maximum frame payload: large enough for any control message and a chat-sized envelope.</summary>
    public const int DefaultMaxFrameSize = 64 * 1024;

    /// <summary>Maximum UTF-8 byte length of any string field.</summary>
    public const int MaxStringBytes = 256;

    /// <summary>Maximum number of members in one member list.</summary>
    public const int MaxMembers = 1024;

    /// <summary>Ed25519 public key.</summary>
    public const int SigningKeyBytes = 32;

    /// <summary>X25519 public key (identity DH key and signed prekey).</summary>
    public const int DhKeyBytes = 32;

    /// <summary>X25519 signed prekey.</summary>
    public const int PrekeyBytes = 32;

    /// <summary>Ed25519 signature.</summary>
    public const int SignatureBytes = 64;

    /// <summary>Server challenge that the client signs in its hello.</summary>
    public const int ChallengeBytes = 32;
}
