namespace Entice.Crypto;

/// <summary>
/// The routing facts of one message. They go into the AEAD associated data, so a relay that moves a
/// ciphertext to another room, sender, recipient or between direct and room delivery breaks its tag.
/// </summary>
public sealed record MessageContext(string Room, string Sender, string Recipient, bool Direct);
