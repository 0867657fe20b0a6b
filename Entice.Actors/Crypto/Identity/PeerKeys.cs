using Entice.Wire;

namespace Entice.Crypto.Identity;

/// <summary>
/// A peer as the session layer sees it: the name it goes by, the bundle it published and, optionally, one
/// of its one-time prekeys (id, public key) from the server. The one-time prekey is used only when a new
/// session is started (adding DH4); without one, X3DH runs with three DHs.
/// </summary>
public sealed record PeerKeys(string Name, IdentityBundle Bundle, (uint Id, byte[] PublicKey)? OneTimePrekey = null)
{
    public PublicIdentity Identity => PublicIdentity.FromBundle(Bundle);
}
