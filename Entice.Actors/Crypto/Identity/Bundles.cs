using Entice.Wire;

namespace Entice.Crypto.Identity;

/// <summary>Builds the public <see cref="IdentityBundle"/> a client publishes.</summary>
public static class Bundles
{
    public static IdentityBundle CreateBundle(IdentityKeys me, SignedPrekey spk)
    {
        ArgumentNullException.ThrowIfNull(me);
        ArgumentNullException.ThrowIfNull(spk);
        var id = me.Public;
        // Copies: the bundle crosses to other layers, which must not be able to alter our key objects.
        return new IdentityBundle(
            [.. id.SigningKey],
            [.. id.DhKey],
            [.. id.BindingSignature],
            spk.Id,
            [.. spk.PublicKey],
            [.. spk.Signature]);
    }
}
