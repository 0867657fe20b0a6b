namespace Entice.Crypto;

/// <summary>
/// A peer's sending chain as we receive it, identified by (peer name, EK). It remembers the initiator keys
/// it was agreed with, so a later bundle with other keys cannot ride on it.
/// </summary>
internal sealed class ReceivingSession : IDisposable
{
    private byte[] chainKey;

    public ReceivingSession(PublicIdentity initiator, byte[] chainKey)
    {
        Initiator = initiator;
        this.chainKey = chainKey;
    }

    public PublicIdentity Initiator { get; }

    /// <summary>The index the chain key is at; ulong because it may pass the last u32 index.</summary>
    public ulong NextIndex { get; private set; }

    /// <summary>Derive, on copies, every key from <see cref="NextIndex"/> up to <paramref name="target"/>.</summary>
    public ChainAdvance Preview(uint target)
    {
        var skipped = new List<(uint Index, byte[] Key)>();
        byte[] current = [.. chainKey];
        for (var index = NextIndex; index < target; index++)
        {
            var (skippedKey, next) = Kdf.ChainStep(current);
            Kdf.Wipe(current);
            current = next;
            skipped.Add(((uint)index, skippedKey));
        }

        var (messageKey, nextChainKey) = Kdf.ChainStep(current);
        Kdf.Wipe(current);
        return new ChainAdvance(skipped, messageKey, nextChainKey);
    }

    /// <summary>Adopt a previewed chain key once its message authenticated.</summary>
    public void Commit(byte[] nextChainKey, ulong nextIndex)
    {
        Kdf.Wipe(chainKey);
        chainKey = nextChainKey;
        NextIndex = nextIndex;
    }

    public void Dispose() => Kdf.Wipe(chainKey);
}
