using Entice.Wire;
using Entice.Crypto.Identity;

namespace Entice.Crypto.Ratchet;

/// <summary>The book's signed prekeys: the bundle to publish, rotation, retirement, expiry.</summary>
public sealed partial class SessionBook
{
    /// <summary>The bundle to publish: our identity and the current signed prekey.</summary>
    public IdentityBundle CreateBundle()
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        return Bundles.CreateBundle(me, signedPrekeys.Current);
    }

    /// <summary>
    /// Rotate: <paramref name="prekey"/> (copied; the caller keeps its own object) becomes current. The
    /// previous one is still accepted for the grace period, or until <see cref="RetireSignedPrekey"/>.
    /// </summary>
    public void AddSignedPrekey(SignedPrekey prekey)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        ArgumentNullException.ThrowIfNull(prekey);
        signedPrekeys.Add(prekey.Copy(me), clock());
    }

    /// <summary>Stop accepting prekey messages for a superseded signed prekey now; false if we do not hold it.</summary>
    public bool RetireSignedPrekey(uint id)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        var removed = signedPrekeys.Retire(id);
        PruneRetired();
        return removed;
    }

    private void Expire(DateTimeOffset now)
    {
        skipped.Expire(now);
        signedPrekeys.Expire(now);
        PruneRetired();
    }

    private void PruneRetired()
    {
        if (retired.Count == 0)
        {
            return;
        }

        var held = signedPrekeys.Ids.ToHashSet();
        foreach (var id in retired.Where(entry => !held.Contains(entry.Value)).Select(entry => entry.Key).ToList())
        {
            retired.Remove(id);
        }
    }
}
