using Entice.Wire;
using Entice.Crypto.Identity;
using Entice.Crypto.Primitives;

namespace Entice.Crypto.Ratchet;

/// <summary>What binds a message to both identities: verified bundles and the associated data.</summary>
public sealed partial class SessionBook
{
    // Two Ed25519 verifications per message were most of its cost; a bundle object is immutable in
    // practice (the chat actor keeps one per member), so once verified it stays verified.
    internal bool VerifiedOnce(IdentityBundle? bundle)
    {
        if (bundle is null)
            return false;
        if (verifiedBundles.TryGetValue(bundle, out _))
            return true;
        if (!IdentitySignatures.VerifyBundle(bundle))
            return false;
        verifiedBundles.AddOrUpdate(bundle, bundle);
        return true;
    }
}
