namespace Entice.Crypto.Primitives;

/// <summary>
/// Where a message goes, as <see cref="MessageCipher.AssociatedData"/> binds it (a pairwise message:
/// <c>Ratchet/MessageContext</c>).
/// </summary>
public interface IBoundDestination
{
    string Room { get; }

    string Sender { get; }

    string Recipient { get; }

    bool Direct { get; }

    ulong EnvelopeId { get; }
}
