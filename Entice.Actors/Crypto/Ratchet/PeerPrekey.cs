namespace Entice.Crypto.Ratchet;

/// <summary>A peer's published signed prekey (id and public key) as it was when a session began.</summary>
internal sealed record PeerPrekey(uint Id, byte[] PublicKey);
