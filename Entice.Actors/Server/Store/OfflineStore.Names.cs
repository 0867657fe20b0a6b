using System.Data.Common;

namespace Entice.Server.Store;

/// <summary>
/// Name ownership: a name belongs to the identity (signing key) that first claimed it on this server or
/// cluster, until its owner or the operator releases it or it goes unused for a configured time.
/// </summary>
public sealed partial class OfflineStore
{
    /// <summary>
    /// Claims <paramref name="name"/> for <paramref name="identity"/>: granted when nobody owns it (and no
    /// other identity owns a name with the same <paramref name="skeleton"/>) or when this identity already
    /// does; its last use is recorded. A name unused for longer than <paramref name="unusedFor"/> is released
    /// first (with what the server kept for it).
    /// </summary>
    public NameOwnership OwnName(string name, string skeleton, byte[] identity, TimeSpan unusedFor) => _db.Run(db =>
    {
        var now = _clock().ToUnixTimeMilliseconds();
        var cutoff = unusedFor == TimeSpan.MaxValue ? long.MinValue : now - (long)Math.Min(unusedFor.TotalMilliseconds, now);
        foreach (var expired in ExpiredNames(db, cutoff))
            Release(db, expired);
        // Each round either finds the name's owner or claims it; a round finds neither only when another
        // node claimed it between the two statements, and the next round reads that owner.
        for (var round = 0; round < 3; round++)
        {
            using var tx = db.BeginTransaction();
            using (var cmd = db.Command("SELECT identity FROM name_owners WHERE name = @n" + _db.LockForUpdate, ("@n", name)))
            {
                if (cmd.ExecuteScalar() is byte[] owner)
                {
                    if (!owner.AsSpan().SequenceEqual(identity))
                        return new NameOwnership(NameOwnershipResult.OwnedByOther, name);
                    db.Execute("UPDATE name_owners SET last_used = @t WHERE name = @n", ("@n", name), ("@t", now));
                    tx.Commit();
                    return new NameOwnership(NameOwnershipResult.Owned, null);
                }
            }
            using (var cmd = db.Command("SELECT name, identity FROM name_owners WHERE skeleton = @s ORDER BY name", ("@s", skeleton)))
            using (var reader = cmd.ExecuteReader())
            {
                while (reader.Read())
                {
                    if (!((byte[])reader[1]).AsSpan().SequenceEqual(identity))
                        return new NameOwnership(NameOwnershipResult.Confusable, reader.GetString(0));
                }
            }
            if (db.Execute("INSERT INTO name_owners (name, skeleton, identity, claimed_at, last_used) VALUES (@n, @s, @i, @t, @t) ON CONFLICT DO NOTHING",
                    ("@n", name), ("@s", skeleton), ("@i", identity), ("@t", now)) == 1)
            {
                tx.Commit();
                return new NameOwnership(NameOwnershipResult.Owned, null);
            }
        }
        return new NameOwnership(NameOwnershipResult.OwnedByOther, name);
    });

    /// <summary>
    /// Releases <paramref name="name"/> (the owner's or the operator's decision): anyone may claim it next.
    /// What was kept for its owner goes with it (waiting envelopes, unused prekeys), so a next owner never
    /// receives what was written for the previous one. Returns false when nobody owned it.
    /// </summary>
    public bool ReleaseOwnedName(string name) => _db.Run(db => Release(db, name));

    /// <summary>The identity that owns <paramref name="name"/>, or null.</summary>
    public byte[]? OwnerOf(string name) => _db.Run(db =>
    {
        using var cmd = db.Command("SELECT identity FROM name_owners WHERE name = @n", ("@n", name));
        return cmd.ExecuteScalar() as byte[];
    });

    private static List<string> ExpiredNames(DbConnection db, long cutoff)
    {
        var names = new List<string>();
        using var cmd = db.Command("SELECT name FROM name_owners WHERE last_used < @c", ("@c", cutoff));
        using var reader = cmd.ExecuteReader();
        while (reader.Read())
            names.Add(reader.GetString(0));
        return names;
    }

    private static bool Release(DbConnection db, string name)
    {
        using var tx = db.BeginTransaction();
        var released = db.Execute("DELETE FROM name_owners WHERE name = @n", ("@n", name)) > 0;
        db.Execute("DELETE FROM waiting WHERE recipient = @n", ("@n", name));
        db.Execute("DELETE FROM prekeys WHERE name = @n AND given = 0", ("@n", name));
        tx.Commit();
        return released;
    }
}

public enum NameOwnershipResult
{
    /// <summary>The claiming identity owns the name (now or already).</summary>
    Owned,

    /// <summary>Another identity owns the name.</summary>
    OwnedByOther,

    /// <summary>Another identity owns a name that looks the same (<see cref="NameOwnership.Other"/>).</summary>
    Confusable,
}

/// <summary>The answer to <see cref="OfflineStore.OwnName"/>; <paramref name="Other"/> names the owned name in the way.</summary>
public sealed record NameOwnership(NameOwnershipResult Result, string? Other);
