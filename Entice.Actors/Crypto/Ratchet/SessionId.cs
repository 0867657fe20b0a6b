namespace Entice.Crypto.Ratchet;

/// <summary>Names one session: the peer and the initiator's X3DH ephemeral (base) key, in hex.</summary>
internal readonly record struct SessionId(string Peer, string BaseKeyHex)
{
    public static SessionId For(string peer, ReadOnlySpan<byte> baseKey) => new(peer, Convert.ToHexString(baseKey));
}
