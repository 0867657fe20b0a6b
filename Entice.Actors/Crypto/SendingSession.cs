using System.Security.Cryptography;
using Entice.Wire;

namespace Entice.Crypto;

/// <summary>
/// Our sending chain to one peer: the X3DH ephemeral key that names it, the peer keys it was agreed with,
/// and the current chain key. Each message takes one chain step; the old chain key is wiped at once.
/// </summary>
internal sealed class SendingSession : IDisposable
{
    private byte[] chainKey;

    public SendingSession(PublicIdentity peerIdentity, uint prekeyId, byte[] prekey, byte[] ephemeralKey, byte[] chainKey)
    {
        PeerIdentity = peerIdentity;
        PrekeyId = prekeyId;
        Prekey = prekey;
        EphemeralKey = ephemeralKey;
        this.chainKey = chainKey;
    }

    public PublicIdentity PeerIdentity { get; }

    public uint PrekeyId { get; }

    public byte[] Prekey { get; }

    public byte[] EphemeralKey { get; }

    public uint NextIndex { get; private set; }

    /// <summary>N is a u32 on the wire; a chain that has used them all must be replaced, never wrapped.</summary>
    public bool Exhausted => NextIndex == uint.MaxValue;

    /// <summary>True when this session was agreed with exactly these identity keys and this prekey.</summary>
    public bool WasMadeFor(IdentityBundle bundle) =>
        PeerIdentity.SameKeysAs(PublicIdentity.FromBundle(bundle))
        && PrekeyId == bundle.PrekeyId
        && CryptographicOperations.FixedTimeEquals(Prekey, bundle.Prekey);

    /// <summary>The message key for <see cref="NextIndex"/>; the caller wipes it after use.</summary>
    public byte[] NextMessageKey()
    {
        var (messageKey, nextChainKey) = Kdf.ChainStep(chainKey);
        Kdf.Wipe(chainKey);
        chainKey = nextChainKey;
        NextIndex++;
        return messageKey;
    }

    public void Dispose() => Kdf.Wipe(chainKey);
}
