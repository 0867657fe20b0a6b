using Entice.Wire;

namespace Entice.Crypto;

/// <summary>A peer as the session layer sees it: the name it goes by and the bundle it published.</summary>
public sealed record PeerKeys(string Name, IdentityBundle Bundle)
{
    public PublicIdentity Identity => PublicIdentity.FromBundle(Bundle);
}
