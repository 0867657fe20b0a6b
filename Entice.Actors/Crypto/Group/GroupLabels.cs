using System.Text;

namespace Entice.Crypto.Group;

/// <summary>
/// The sender-key layer's domain-separation strings. None equals a pairwise label (KdfLabels), so a key,
/// AD or signature made for a room message can never be taken for one of a pairwise message, or the reverse.
/// </summary>
internal static class GroupLabels
{
    /// <summary>HKDF info: K (32) || NONCE (12) from a sender-key message key.</summary>
    public static readonly byte[] MessageKeys = Encoding.ASCII.GetBytes("Entice/v1/group-msg");

    /// <summary>First field of the AEAD associated data of a room message.</summary>
    public static readonly byte[] AssociatedData = Encoding.ASCII.GetBytes("Entice/v1/group-ad");

    /// <summary>First field of what the sender's Ed25519 key signs.</summary>
    public static readonly byte[] Signature = Encoding.ASCII.GetBytes("Entice/v1/group-sig");

    /// <summary>First field of the member-set hash input.</summary>
    public static readonly byte[] MemberSet = Encoding.ASCII.GetBytes("Entice/v1/group-members");
}
