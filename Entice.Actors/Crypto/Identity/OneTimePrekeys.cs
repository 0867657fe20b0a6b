using Entice.Crypto.Primitives;
namespace Entice.Crypto.Identity;

/// <summary>
/// Our one-time prekeys (X25519), owned by a <see cref="SessionBook"/>. The public halves are published
/// for initiators to add DH4; each private half is used for one X3DH and then wiped. Ids only ever grow,
/// so an id once used is never issued again and a second message naming it is refused.
/// </summary>
public sealed class OneTimePrekeys : IDisposable
{
    public const int DefaultBatchSize = 100;

    // A bound on what a saved state may claim, so a damaged file cannot make us allocate without limit.
    internal const int MaxHeld = 100_000;

    private readonly SortedDictionary<uint, (byte[] PrivateKey, byte[] PublicKey)> keys = [];
    private uint nextId = 1;

    internal OneTimePrekeys()
    {
    }

    /// <summary>How many unused one-time prekeys we hold.</summary>
    public int Remaining => keys.Count;

    /// <summary>The public halves of every unused one-time prekey, lowest id first.</summary>
    public IReadOnlyList<(uint Id, byte[] PublicKey)> PublicKeys =>
        [.. keys.Select(pair => (pair.Key, (byte[])pair.Value.PublicKey.Clone()))];

    /// <summary>Make <paramref name="count"/> new prekeys and return their public halves, to publish.</summary>
    public IReadOnlyList<(uint Id, byte[] PublicKey)> Generate(int count = DefaultBatchSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (keys.Count + count > MaxHeld || nextId > uint.MaxValue - (uint)count)
        {
            throw new CryptoException("Too many one-time prekeys.");
        }

        var created = new List<(uint Id, byte[] PublicKey)>(count);
        for (var i = 0; i < count; i++)
        {
            var (privateKey, publicKey) = DiffieHellman.Generate();
            var id = nextId++;
            keys.Add(id, (privateKey, publicKey));
            created.Add((id, [.. publicKey]));
        }

        return created;
    }

    /// <summary>Generate just enough to hold <paramref name="target"/> unused keys; returns the new ones.</summary>
    public IReadOnlyList<(uint Id, byte[] PublicKey)> TopUp(int target = DefaultBatchSize) =>
        Generate(Math.Max(0, target - keys.Count));

    public void Dispose()
    {
        foreach (var (privateKey, _) in keys.Values)
        {
            Kdf.Wipe(privateKey);
        }

        keys.Clear();
    }

    public override string ToString() => $"OneTimePrekeys({keys.Count} left)";

    /// <summary>The private half, left in place: it is consumed only after the message using it authenticates.</summary>
    internal bool TryPeek(uint id, out byte[] privateKey)
    {
        var found = keys.TryGetValue(id, out var pair);
        privateKey = found ? pair.PrivateKey : [];
        return found;
    }

    internal void Consume(uint id)
    {
        if (keys.Remove(id, out var pair))
        {
            Kdf.Wipe(pair.PrivateKey);
        }
    }

    internal void Write(StateWriter writer)
    {
        writer.U32(nextId).U32((uint)keys.Count);
        foreach (var (id, (privateKey, _)) in keys)
        {
            writer.U32(id).Key(privateKey);
        }
    }

    internal void Read(ref StateReader reader)
    {
        nextId = reader.U32();
        var count = reader.Count(minItemSize: 4 + DiffieHellman.KeySize);
        if (count > MaxHeld)
        {
            throw StateReader.Corrupt();
        }

        for (var i = 0; i < count; i++)
        {
            var id = reader.U32();
            var privateKey = reader.Key();
            if (id == 0 || id >= nextId || keys.ContainsKey(id))
            {
                Kdf.Wipe(privateKey);
                throw StateReader.Corrupt();
            }

            keys.Add(id, (privateKey, DiffieHellman.PublicKeyOf(privateKey)));
        }
    }
}
