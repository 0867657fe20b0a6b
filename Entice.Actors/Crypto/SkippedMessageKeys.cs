namespace Entice.Crypto;

/// <summary>
/// Message keys of messages not yet received on a chain that has moved past them (out-of-order delivery).
/// Bounded in total: when full, the oldest keys are wiped first, so an attacker cannot make us hoard keys.
/// Each key is removed (and wiped) when used, which is what makes a replay find nothing.
/// </summary>
internal sealed class SkippedMessageKeys : IDisposable
{
    private readonly int capacity;
    private readonly LinkedList<(ChainId Chain, uint Index, byte[] Key)> oldestFirst = new();
    private readonly Dictionary<(ChainId Chain, uint Index), LinkedListNode<(ChainId Chain, uint Index, byte[] Key)>> byIndex = [];

    public SkippedMessageKeys(int capacity)
    {
        this.capacity = capacity;
    }

    public int Count => byIndex.Count;

    /// <summary>The stored key, left in place: it is removed only after its message authenticates.</summary>
    public bool TryGet(ChainId chain, uint index, out byte[] key)
    {
        if (byIndex.TryGetValue((chain, index), out var node))
        {
            key = node.Value.Key;
            return true;
        }

        key = [];
        return false;
    }

    public void Remove(ChainId chain, uint index)
    {
        if (byIndex.Remove((chain, index), out var node))
        {
            Kdf.Wipe(node.Value.Key);
            oldestFirst.Remove(node);
        }
    }

    public void AddRange(ChainId chain, IReadOnlyList<(uint Index, byte[] Key)> keys)
    {
        foreach (var (index, key) in keys)
        {
            if (capacity == 0)
            {
                Kdf.Wipe(key);
                continue;
            }

            while (byIndex.Count >= capacity)
            {
                var oldest = oldestFirst.First!;
                Remove(oldest.Value.Chain, oldest.Value.Index);
            }

            byIndex[(chain, index)] = oldestFirst.AddLast((chain, index, key));
        }
    }

    public void RemovePeer(string peer)
    {
        foreach (var (chain, index, _) in oldestFirst.Where(entry => entry.Chain.Peer == peer).ToList())
        {
            Remove(chain, index);
        }
    }

    public void Dispose()
    {
        foreach (var (_, _, key) in oldestFirst)
        {
            Kdf.Wipe(key);
        }

        oldestFirst.Clear();
        byIndex.Clear();
    }
}
