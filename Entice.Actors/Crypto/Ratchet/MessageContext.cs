using Entice.Crypto.Primitives;

namespace Entice.Crypto.Ratchet;

/// <summary>
/// The routing facts of one message. They go into the AEAD associated data, so a relay that moves a
/// ciphertext to another room, sender, recipient, between direct and room delivery, or gives it another
/// envelope id breaks its tag.
/// </summary>
/// <param name="EnvelopeId">The sender's id for the envelope (the routing header's id): bound, so a relay that
/// rewrites it makes the message fail to decrypt (visible) instead of look like a copy of another (dropped).</param>
public sealed record MessageContext(string Room, string Sender, string Recipient, bool Direct, ulong EnvelopeId = 0) : IBoundDestination
{
    /// <summary>
    /// The conversation a message belongs to, as its sender numbers them: <c>#room</c> for a room message,
    /// <c>@peer</c> for a direct one (the other party's name, whichever room carried it).
    /// </summary>
    public string Conversation => ConversationOf(Room, Direct, Sender, Recipient);

    /// <summary>The conversation key for a message in <paramref name="room"/> between sender and recipient.</summary>
    public static string ConversationOf(string room, bool direct, string sender, string recipient) =>
        direct ? "@" + string.Join('|', string.CompareOrdinal(sender, recipient) <= 0 ? [sender, recipient] : new[] { recipient, sender }) : "#" + room;
}
