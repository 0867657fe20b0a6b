using Entice.Wire;
using Entice.Crypto.Identity;
using Entice.Crypto.Primitives;

namespace Entice.Crypto.Ratchet;

/// <summary>What binds a message to both identities: verified bundles and the associated data.</summary>
public sealed partial class SessionBook
{
    // Two Ed25519 verifications per message were most of its cost; a bundle object is immutable in
    // practice (the chat actor keeps one per member), so once verified it stays verified.
    private bool VerifiedOnce(IdentityBundle? bundle)
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

    private byte[] AssociatedData(RatchetSession session, byte[] header, MessageContext ctx) =>
        session.WeInitiated
            ? MessageCipher.AssociatedData(me.Public, session.PeerIdentity, header, ctx)
            : MessageCipher.AssociatedData(session.PeerIdentity, me.Public, header, ctx);

    private bool TryAssociatedData(RatchetSession session, byte[] header, MessageContext ctx, out byte[] associatedData) =>
        session.WeInitiated
            ? TryAssociatedData(me.Public, session.PeerIdentity, header, ctx, out associatedData)
            : TryAssociatedData(session.PeerIdentity, me.Public, header, ctx, out associatedData);

    private static bool TryAssociatedData(PublicIdentity initiator, PublicIdentity responder, byte[] header, MessageContext ctx, out byte[] associatedData)
    {
        try
        {
            associatedData = MessageCipher.AssociatedData(initiator, responder, header, ctx);
            return true;
        }
        catch (CryptoException)
        {
            associatedData = [];
            return false;
        }
    }
}
