using Entice.Crypto.Primitives;
namespace Entice.Crypto.Identity;

/// <summary>
/// Our signed prekeys: the current one (published) and superseded ones still accepted for a grace period,
/// so prekey messages already in flight when we rotated can still be read. After the grace period, or on
/// an explicit retire, the private key is wiped and messages naming it fail with UnknownPrekey.
/// </summary>
internal sealed class SignedPrekeyRing : IDisposable
{
    private readonly TimeSpan gracePeriod;
    private readonly List<(SignedPrekey Prekey, DateTimeOffset? SupersededAt)> prekeys = [];

    public SignedPrekeyRing(TimeSpan gracePeriod)
    {
        this.gracePeriod = gracePeriod;
    }

    public SignedPrekey Current => prekeys[^1].Prekey;

    public IEnumerable<uint> Ids => prekeys.Select(entry => entry.Prekey.Id);

    /// <summary>Make <paramref name="prekey"/> (already a copy the ring owns) current; the old current starts its grace period.</summary>
    public void Add(SignedPrekey prekey, DateTimeOffset now)
    {
        if (prekeys.Any(entry => entry.Prekey.Id == prekey.Id))
        {
            prekey.Dispose();
            throw new CryptoException("A signed prekey with this id is already held.");
        }

        if (prekeys.Count > 0)
        {
            prekeys[^1] = (prekeys[^1].Prekey, now);
        }

        prekeys.Add((prekey, null));
    }

    public bool TryGet(uint id, out SignedPrekey prekey)
    {
        var found = prekeys.FirstOrDefault(entry => entry.Prekey.Id == id).Prekey;
        prekey = found!;
        return found is not null;
    }

    /// <summary>Drop a superseded prekey now. The current one cannot be retired: add its successor first.</summary>
    public bool Retire(uint id)
    {
        var index = prekeys.FindIndex(entry => entry.Prekey.Id == id);
        if (index < 0)
        {
            return false;
        }

        if (index == prekeys.Count - 1)
        {
            throw new InvalidOperationException("The current signed prekey cannot be retired; add a new one first.");
        }

        prekeys[index].Prekey.Dispose();
        prekeys.RemoveAt(index);
        return true;
    }

    /// <summary>Retire every superseded prekey whose grace period is over.</summary>
    public void Expire(DateTimeOffset now)
    {
        foreach (var (prekey, _) in prekeys.Where(entry => entry.SupersededAt is { } at && now - at >= gracePeriod).ToList())
        {
            Retire(prekey.Id);
        }
    }

    public void Write(StateWriter writer)
    {
        writer.U32((uint)prekeys.Count);
        foreach (var (prekey, supersededAt) in prekeys)
        {
            var scalar = prekey.ExportPrivateKey();
            try
            {
                writer.U32(prekey.Id).Key(scalar).Bytes(prekey.Signature)
                    .Bool(supersededAt is not null).I64(supersededAt?.ToUnixTimeMilliseconds() ?? 0);
            }
            finally
            {
                Kdf.Wipe(scalar);
            }
        }
    }

    public void Read(ref StateReader reader, IdentityKeys owner)
    {
        var count = reader.Count(minItemSize: 4 + DiffieHellman.KeySize + 4 + 9);
        for (var i = 0; i < count; i++)
        {
            var id = reader.U32();
            var scalar = reader.Key();
            try
            {
                var signature = reader.Bytes(IdentitySignatures.SignatureSize);
                var superseded = reader.Bool();
                var at = reader.I64();
                if (superseded != (i < count - 1) || prekeys.Any(entry => entry.Prekey.Id == id)
                    || at < DateTimeOffset.MinValue.ToUnixTimeMilliseconds() || at > DateTimeOffset.MaxValue.ToUnixTimeMilliseconds())
                {
                    throw StateReader.Corrupt();
                }

                prekeys.Add((SignedPrekey.Restore(owner, id, scalar, signature), superseded ? DateTimeOffset.FromUnixTimeMilliseconds(at) : null));
            }
            finally
            {
                Kdf.Wipe(scalar);
            }
        }

        if (prekeys.Count == 0)
        {
            throw StateReader.Corrupt();
        }
    }

    public void Dispose()
    {
        foreach (var (prekey, _) in prekeys)
        {
            prekey.Dispose();
        }

        prekeys.Clear();
    }
}
