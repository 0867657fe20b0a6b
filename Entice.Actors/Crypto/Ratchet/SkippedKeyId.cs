namespace Entice.Crypto.Ratchet;

/// <summary>Names one skipped message key: its session, the sender's ratchet key (hex) and N.</summary>
internal readonly record struct SkippedKeyId(SessionId Session, string RatchetKeyHex, uint Index)
{
    public static SkippedKeyId For(SessionId session, ReadOnlySpan<byte> ratchetKey, uint index) =>
        new(session, Convert.ToHexString(ratchetKey), index);
}

/// <summary>A skipped message key with its name, before it is stored.</summary>
internal sealed record SkippedKey(SkippedKeyId Id, byte[] Key);
