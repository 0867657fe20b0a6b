using Entice.Crypto.Primitives;
namespace Entice.Crypto.Ratchet;

/// <summary>
/// Message keys of messages not yet received on chains that have moved past them (out-of-order delivery).
/// Bounded in total and per peer: when full, the oldest keys are wiped first (the peer's own oldest when
/// that peer is at its share), so an attacker cannot make us hoard keys, and one peer cannot evict the
/// keys of everyone else;
/// and each key expires after a lifetime, so a key for a message that never comes does not sit on disk
/// forever (a later compromise would expose it). A key is removed (and wiped) when used, which is what
/// makes a replay find nothing.
/// </summary>
internal sealed class SkippedMessageKeys : IDisposable
{
    private readonly int capacity;
    private readonly int perPeerCapacity;
    private readonly TimeSpan lifetime;
    private readonly LinkedList<Entry> oldestFirst = new();
    private readonly Dictionary<SkippedKeyId, LinkedListNode<Entry>> byId = [];

    // Each peer's entries, oldest first: the peer's own oldest goes when it reaches its share.
    private readonly Dictionary<string, LinkedList<SkippedKeyId>> byPeer = new(StringComparer.Ordinal);

    public SkippedMessageKeys(int capacity, TimeSpan lifetime, int? perPeerCapacity = null)
    {
        this.capacity = capacity;
        this.perPeerCapacity = Math.Min(capacity, perPeerCapacity ?? capacity);
        this.lifetime = lifetime;
    }

    public int Count => byId.Count;

    /// <summary>How many keys are held for <paramref name="peer"/>.</summary>
    public int CountFor(string peer) => byPeer.TryGetValue(peer, out var keys) ? keys.Count : 0;

    /// <summary>The stored key, left in place: it is removed only after its message authenticates.</summary>
    public bool TryGet(SkippedKeyId id, out byte[] key)
    {
        if (byId.TryGetValue(id, out var node))
        {
            key = node.Value.Key;
            return true;
        }

        key = [];
        return false;
    }

    public void Remove(SkippedKeyId id)
    {
        if (byId.Remove(id, out var node))
        {
            Kdf.Wipe(node.Value.Key);
            oldestFirst.Remove(node);
            var peer = byPeer[id.Session.Peer];
            peer.Remove(node.Value.PeerNode!);
            if (peer.Count == 0)
            {
                byPeer.Remove(id.Session.Peer);
            }
        }
    }

    /// <summary>Store keys skipped at <paramref name="now"/>; takes ownership of the key bytes.</summary>
    public void AddRange(IEnumerable<SkippedKey> keys, DateTimeOffset now)
    {
        foreach (var (id, key) in keys)
        {
            Add(id, key, now);
        }
    }

    public void Add(SkippedKeyId id, byte[] key, DateTimeOffset skippedAt)
    {
        if (perPeerCapacity <= 0)
        {
            Kdf.Wipe(key);
            return;
        }

        Remove(id);
        while (CountFor(id.Session.Peer) >= perPeerCapacity)
        {
            Remove(byPeer[id.Session.Peer].First!.Value);
        }

        while (byId.Count >= capacity)
        {
            Remove(oldestFirst.First!.Value.Id);
        }

        var entry = new Entry(id, key, skippedAt);
        if (!byPeer.TryGetValue(id.Session.Peer, out var keys))
        {
            byPeer[id.Session.Peer] = keys = new LinkedList<SkippedKeyId>();
        }

        entry.PeerNode = keys.AddLast(id);
        byId[id] = oldestFirst.AddLast(entry);
    }

    /// <summary>Wipe every key older than the lifetime. Entries are in insertion order, so the scan stops early.</summary>
    public void Expire(DateTimeOffset now)
    {
        while (oldestFirst.First is { } first && now - first.Value.SkippedAt >= lifetime)
        {
            Remove(first.Value.Id);
        }
    }

    public void RemoveWhere(Func<SessionId, bool> session)
    {
        foreach (var entry in oldestFirst.Where(entry => session(entry.Id.Session)).ToList())
        {
            Remove(entry.Id);
        }
    }

    public void Write(StateWriter writer)
    {
        writer.U32((uint)byId.Count);
        foreach (var entry in oldestFirst)
        {
            writer.String(entry.Id.Session.Peer)
                .Key(Convert.FromHexString(entry.Id.Session.BaseKeyHex))
                .Key(Convert.FromHexString(entry.Id.RatchetKeyHex))
                .U32(entry.Id.Index)
                .Key(entry.Key)
                .I64(entry.SkippedAt.ToUnixTimeMilliseconds());
        }
    }

    public void Read(ref StateReader reader)
    {
        var count = reader.Count(minItemSize: 4 + (3 * DiffieHellman.KeySize) + 4 + 8);
        for (var i = 0; i < count; i++)
        {
            var session = SessionId.For(reader.String(), reader.Key());
            var id = SkippedKeyId.For(session, reader.Key(), reader.U32());
            var key = reader.Key();
            var at = reader.I64();
            if (at < DateTimeOffset.MinValue.ToUnixTimeMilliseconds() || at > DateTimeOffset.MaxValue.ToUnixTimeMilliseconds())
            {
                Kdf.Wipe(key);
                throw StateReader.Corrupt();
            }

            Add(id, key, DateTimeOffset.FromUnixTimeMilliseconds(at));
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
        byPeer.Clear();
    }

    private sealed record Entry(SkippedKeyId Id, byte[] Key, DateTimeOffset SkippedAt)
    {
        public LinkedListNode<SkippedKeyId>? PeerNode { get; set; }
    }
}
