namespace Entice.Crypto.Primitives;

/// <summary>
/// The public keys of one party, as <see cref="MessageCipher.AssociatedData"/> binds them (an identity:
/// <c>Identity/PublicIdentity</c>). An interface so this bottom layer does not import the layers above.
/// </summary>
public interface IBoundKeys
{
    /// <summary>The Ed25519 identity key.</summary>
    byte[] SigningKey { get; }

    /// <summary>The X25519 identity key.</summary>
    byte[] DhKey { get; }
}
