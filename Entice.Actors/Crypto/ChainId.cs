namespace Entice.Crypto;

/// <summary>Names one receiving chain: the sending peer and the X3DH ephemeral key (hex) it started with.</summary>
internal readonly record struct ChainId(string Peer, string EphemeralKeyHex)
{
    public static ChainId For(string peer, ReadOnlySpan<byte> ephemeralKey) => new(peer, Convert.ToHexString(ephemeralKey));
}
