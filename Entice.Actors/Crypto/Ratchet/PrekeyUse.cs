namespace Entice.Crypto.Ratchet;

/// <summary>The responder prekeys an X3DH used: the signed prekey id and, if any, the one-time prekey id.</summary>
internal sealed record PrekeyUse(uint SignedPrekeyId, uint? OneTimePrekeyId);
