namespace Entice.Crypto.Ratchet;

/// <summary>Names one numbered stream of messages we send: to one peer, in one conversation (see <see cref="MessageContext.Conversation"/>).</summary>
internal readonly record struct SendSequenceKey(string Peer, string Conversation);
