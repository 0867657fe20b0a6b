using Entice.Crypto.Primitives;

namespace Entice.Crypto.Group;

/// <summary>
/// One sender's kept message keys of messages not yet arrived (all of its sender keys together), at most
/// <c>capacity</c>, oldest wiped first. A key is removed (wiped) when its message is read, which is what
/// makes a copy of that message a replay.
/// </summary>
internal sealed class SkippedGroupKeys : IDisposable
{
    private readonly int capacity;
    private readonly LinkedList<(uint KeyId, uint Iteration, byte[] Key)> oldestFirst = new();
    private readonly Dictionary<(uint KeyId, uint Iteration), LinkedListNode<(uint KeyId, uint Iteration, byte[] Key)>> byId = [];

    public SkippedGroupKeys(int capacity) => this.capacity = capacity;

    public int Count => byId.Count;

    /// <summary>The kept keys, oldest first (the saved state; the arrays are the live ones: copy, never wipe).</summary>
    public IEnumerable<(uint KeyId, uint Iteration, byte[] Key)> OldestFirst => oldestFirst;

    public bool TryGet(uint keyId, uint iteration, out byte[] key)
    {
        if (byId.TryGetValue((keyId, iteration), out var node))
        {
            key = node.Value.Key;
            return true;
        }

        key = [];
        return false;
    }

    /// <summary>Takes ownership of <paramref name="key"/>.</summary>
    public void Add(uint keyId, uint iteration, byte[] key)
    {
        if (capacity <= 0)
        {
            Kdf.Wipe(key);
            return;
        }

        Remove(keyId, iteration);
        while (byId.Count >= capacity)
        {
            var first = oldestFirst.First!.Value;
            Remove(first.KeyId, first.Iteration);
        }

        byId[(keyId, iteration)] = oldestFirst.AddLast((keyId, iteration, key));
    }

    public void Remove(uint keyId, uint iteration)
    {
        if (byId.Remove((keyId, iteration), out var node))
        {
            Kdf.Wipe(node.Value.Key);
            oldestFirst.Remove(node);
        }
    }

    public void RemoveKey(uint keyId)
    {
        foreach (var entry in oldestFirst.Where(e => e.KeyId == keyId).ToList())
        {
            Remove(entry.KeyId, entry.Iteration);
        }
    }

    public void Dispose()
    {
        foreach (var entry in oldestFirst)
        {
            Kdf.Wipe(entry.Key);
        }

        oldestFirst.Clear();
        byId.Clear();
    }
}
