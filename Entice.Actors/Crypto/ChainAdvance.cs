namespace Entice.Crypto;

/// <summary>
/// A receiving chain moved forward on copies: the keys for skipped indices, the key for the message being
/// opened, and the chain key after it. Nothing here touches the session until the caller takes the parts
/// after the message authenticates; whatever is not taken is wiped on dispose.
/// </summary>
internal sealed class ChainAdvance : IDisposable
{
    private List<(uint Index, byte[] Key)>? skippedKeys;
    private byte[]? nextChainKey;

    public ChainAdvance(List<(uint Index, byte[] Key)> skippedKeys, byte[] messageKey, byte[] nextChainKey)
    {
        this.skippedKeys = skippedKeys;
        MessageKey = messageKey;
        this.nextChainKey = nextChainKey;
    }

    public byte[] MessageKey { get; }

    public List<(uint Index, byte[] Key)> TakeSkippedKeys()
    {
        var taken = skippedKeys ?? throw new InvalidOperationException("Skipped keys were already taken.");
        skippedKeys = null;
        return taken;
    }

    public byte[] TakeNextChainKey()
    {
        var taken = nextChainKey ?? throw new InvalidOperationException("The chain key was already taken.");
        nextChainKey = null;
        return taken;
    }

    public void Dispose()
    {
        // The message key is never kept: once used (or refused) it is gone.
        Kdf.Wipe(MessageKey);
        Kdf.Wipe(nextChainKey);
        foreach (var (_, key) in skippedKeys ?? [])
        {
            Kdf.Wipe(key);
        }
    }
}
