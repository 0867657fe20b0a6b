using System.Data.Common;
using Entice.Wire;

namespace Entice.Server.Store;

/// <summary>
/// What the relay keeps: the members each room remembers (name and published keys), the envelopes
/// waiting for members who are away, each name's one-time prekeys, and which node holds each online name.
/// Envelopes are stored exactly as relayed, ciphertext the server cannot read. A stored envelope is
/// committed before the sender is told the server took it, so it survives a crash or restart.
/// Two backends, one set of statements: SQLite (<c>entice.db</c> in the data directory, one node) or a
/// PostgreSQL database that every node of a cluster shares; operations that two nodes could race on
/// are single statements or row-locked transactions. Calls are short and synchronous: rooms and
/// transports call it from their own actors.
/// </summary>
public sealed partial class OfflineStore : IDisposable
{
    private readonly StoreDatabase _db;
    private readonly int _maxPerRecipient;
    private readonly TimeSpan _ttl;
    private readonly Func<DateTimeOffset> _clock;
    private readonly int _maxPerSender;

    private OfflineStore(StoreDatabase db, int maxPerRecipient, TimeSpan? ttl, Func<DateTimeOffset>? clock, int maxPerSender)
    {
        _db = db;
        _maxPerSender = maxPerSender;
        _maxPerRecipient = maxPerRecipient;
        _ttl = ttl ?? TimeSpan.FromDays(7);
        _clock = clock ?? (() => DateTimeOffset.UtcNow);
    }

    /// <summary>The single-node store: SQLite, <c>entice.db</c> in <paramref name="dataDir"/>, committed with synchronous=FULL.</summary>
    public static OfflineStore Open(string dataDir, int maxPerRecipient = 1000, TimeSpan? ttl = null, Func<DateTimeOffset>? clock = null,
        int maxPerSender = 5000)
    {
        Directory.CreateDirectory(dataDir);
        return new OfflineStore(SqliteStoreDatabase.Open(Path.Combine(dataDir, "entice.db")), maxPerRecipient, ttl, clock, maxPerSender);
    }

    /// <summary>The cluster's store: a PostgreSQL database shared by every node; the tables are created if missing.</summary>
    public static OfflineStore OpenPostgres(string connectionString, int maxPerRecipient = 1000, TimeSpan? ttl = null, Func<DateTimeOffset>? clock = null,
        int maxPerSender = 5000) =>
        new(PostgresStoreDatabase.Open(connectionString), maxPerRecipient, ttl, clock, maxPerSender);

    public void RememberMember(string room, MemberInfo member)
    {
        ArgumentNullException.ThrowIfNull(member);
        _db.Run(db =>
        {
            // A newcomer is owed nothing logged before; one coming back, what was logged while away.
            var end = LogEnd(db);
            db.Execute("""
                INSERT INTO members (room, name, info, seen_at, log_after, log_until) VALUES (@room, @name, @info, @t, @end, @end)
                ON CONFLICT (room, name) DO UPDATE SET info = excluded.info, seen_at = excluded.seen_at
                """, ("@room", room), ("@name", member.Name), ("@info", WireCodec.Encode(new MemberJoined(room, member))),
                ("@t", _clock().ToUnixTimeMilliseconds()), ("@end", end));
            Arrived(db, room, member.Name);
            return 0;
        });
    }

    public void ForgetMember(string room, string name) => _db.Run(db =>
    {
        db.Execute("DELETE FROM members WHERE room = @room AND name = @name", ("@room", room), ("@name", name));
        DropUnowed(db, room);
        return 0;
    });

    public List<MemberInfo> Members(string room) => _db.Run(db =>
    {
        var members = new List<MemberInfo>();
        using var cmd = db.Command("SELECT info FROM members WHERE room = @room ORDER BY name", ("@room", room));
        using var reader = cmd.ExecuteReader();
        while (reader.Read())
        {
            if (WireCodec.TryDecode((byte[])reader[0], out var m, out _) && m is MemberJoined joined)
                members.Add(joined.Member);
        }
        return members;
    });

    /// <summary>Keeps an envelope for <paramref name="recipient"/>; false when their queue or its sender's quota is full.</summary>
    /// <remarks>
    /// One statement, so the count and the insert cannot be split by another call. Two nodes enqueueing
    /// for one recipient at the same instant may both pass the count: the limit is a bound against
    /// floods, one over it does no harm.
    /// </remarks>
    public bool Enqueue(string room, string recipient, Envelope envelope) => _db.Run(db => db.Execute("""
        INSERT INTO waiting (room, recipient, envelope, stored_at, sender)
        SELECT @room, @r, @e, @t, @s WHERE (SELECT COUNT(*) FROM waiting WHERE recipient = @r) < @max
                                      AND (SELECT COUNT(*) FROM waiting WHERE sender = @s) < @maxs
        """, ("@room", room), ("@r", recipient), ("@e", WireCodec.Encode(envelope)), ("@t", _clock().ToUnixTimeMilliseconds()),
        ("@max", (long)_maxPerRecipient), ("@s", envelope.Sender), ("@maxs", (long)_maxPerSender)) == 1);

    /// <summary>Whether <paramref name="sender"/> has as many envelopes waiting as one sender may (why an enqueue was refused).</summary>
    public bool SenderQuotaReached(string sender) =>
        _db.Run(db => db.Count("SELECT COUNT(*) FROM waiting WHERE sender = @s", ("@s", sender))) >= _maxPerSender;

    /// <summary>
    /// The members <paramref name="room"/> remembers, longest unseen first, after forgetting those unseen
    /// since before <paramref name="seenSince"/> and all but the <paramref name="keepAtMost"/> seen last.
    /// </summary>
    /// <param name="allAway">The room starts on a lone node: nobody is connected to it, so everyone is away
    /// from now on (room-wide envelopes are kept for them), whatever the store remembered before a crash.</param>
    public List<(MemberInfo Member, DateTimeOffset SeenAt)> TrimmedMembers(string room, DateTimeOffset seenSince, int keepAtMost,
        bool allAway = false) => _db.Run(db =>
    {
        db.Execute("""
            DELETE FROM members WHERE room = @room AND (seen_at < @since OR name NOT IN
                (SELECT name FROM members WHERE room = @room ORDER BY seen_at DESC, name LIMIT @max))
            """, ("@room", room), ("@since", seenSince.ToUnixTimeMilliseconds()), ("@max", (long)keepAtMost));
        if (allAway)
            WentAway(db, room, name: null);
        DropUnowed(db, room);
        var members = new List<(MemberInfo, DateTimeOffset)>();
        using var cmd = db.Command("SELECT info, seen_at FROM members WHERE room = @room ORDER BY seen_at, name", ("@room", room));
        using var reader = cmd.ExecuteReader();
        while (reader.Read())
        {
            if (WireCodec.TryDecode((byte[])reader[0], out var m, out _) && m is MemberJoined joined)
                members.Add((joined.Member, DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1))));
        }
        return members;
    });

    /// <summary>The member went away now: the time an away member is forgotten after counts from here.</summary>
    public DateTimeOffset MarkAway(string room, string name)
    {
        var now = _clock();
        _db.Run(db =>
        {
            db.Execute("UPDATE members SET seen_at = @t WHERE room = @room AND name = @name",
                ("@room", room), ("@name", name), ("@t", now.ToUnixTimeMilliseconds()));
            WentAway(db, room, name);
            return 0;
        });
        return now;
    }

    /// <summary>What waits for <paramref name="recipient"/> in <paramref name="room"/>, oldest first; expired ones are dropped.</summary>
    public List<StoredEnvelope> Pending(string room, string recipient) => _db.Run(db =>
    {
        db.Execute("DELETE FROM waiting WHERE stored_at < @cutoff", ("@cutoff", (_clock() - _ttl).ToUnixTimeMilliseconds()));
        return Owed(db, room, recipient);
    });

    /// <summary>
    /// The recipient handled it: delete (only the recipient's own envelopes can be deleted); a room-wide
    /// one is done for them, and goes once nobody else is owed it.
    /// </summary>
    public bool Delete(string recipient, ulong seq) => _db.Run(db =>
        db.Execute("DELETE FROM waiting WHERE seq = @seq AND recipient = @r", ("@seq", (long)seq), ("@r", recipient)) > 0
        || AcknowledgeLogged(db, recipient, seq));

    /// <summary>Most one-time prekeys kept (not yet given out) for one name.</summary>
    public const int MaxPrekeysPerName = 200;

    /// <summary>
    /// Makes <paramref name="owner"/> (an identity's signing key) the only one whose prekeys are handed
    /// out for <paramref name="name"/>: the unused prekeys of anyone who held the name before go, since a
    /// session started with one of them could never be read by the new holder. Called when a hello
    /// for the name is accepted, before its holder joins a room where peers could ask.
    /// </summary>
    /// <remarks>
    /// Prekeys already given out stay, as a record per owner: a client republishes every prekey it
    /// still holds at each connection, and one handed out but not yet used must not be handed out again
    /// when that identity takes the name back.
    /// </remarks>
    public void BindPrekeys(string name, byte[] owner) =>
        _db.Run(db => db.Execute("DELETE FROM prekeys WHERE name = @n AND owner <> @o AND given = 0", ("@n", name), ("@o", owner)));

    /// <summary>
    /// Adds <paramref name="owner"/>'s one-time prekeys for <paramref name="name"/>. An id seen before from
    /// that owner is ignored, even one already given out: a prekey is handed to one initiator only, ever.
    /// Returns how many are available now.
    /// </summary>
    public int PublishPrekeys(string name, byte[] owner, IEnumerable<OneTimePrekey> prekeys)
    {
        ArgumentNullException.ThrowIfNull(prekeys);
        return _db.Run(db =>
        {
            using var tx = db.BeginTransaction();
            var available = AvailablePrekeys(db, name);
            foreach (var p in prekeys.TakeWhile(_ => available < MaxPrekeysPerName))
            {
                available += db.Execute("INSERT INTO prekeys (name, owner, id, key) VALUES (@n, @o, @id, @k) ON CONFLICT DO NOTHING",
                    ("@n", name), ("@o", owner), ("@id", (long)p.Id), ("@k", p.PublicKey));
            }
            tx.Commit();
            return (int)available;
        });
    }

    /// <summary>
    /// Gives out one of <paramref name="name"/>'s one-time prekeys (lowest id first), or null when none is
    /// left. One statement marks it given and returns it; on PostgreSQL the row is locked as it is picked,
    /// so callers on other nodes skip it and no prekey is ever handed out twice.
    /// </summary>
    public OneTimePrekey? TakePrekey(string name) => _db.Run(db =>
    {
        using var cmd = db.Command($"""
            UPDATE prekeys SET given = 1
            WHERE (name, owner, id) = (SELECT name, owner, id FROM prekeys WHERE name = @n AND given = 0 ORDER BY id LIMIT 1{_db.LockSkippingTaken})
            RETURNING id, key
            """, ("@n", name));
        using var reader = cmd.ExecuteReader();
        return reader.Read() ? new OneTimePrekey((uint)reader.GetInt64(0), (byte[])reader[1]) : null;
    });

    public int AvailablePrekeys(string name) => _db.Run(db => (int)AvailablePrekeys(db, name));

    private static long AvailablePrekeys(DbConnection db, string name) =>
        db.Count("SELECT COUNT(*) FROM prekeys WHERE name = @n AND given = 0", ("@n", name));

    /// <summary>
    /// Claims <paramref name="name"/> for <paramref name="identity"/> (its signing key) connected through
    /// <paramref name="node"/>. Granted when nobody holds it, or when the same identity does (it reconnected
    /// through another node: the claim moves, and <see cref="NameClaim.PreviousNode"/> says which node
    /// still thinks it holds it). Refused when another identity holds it.
    /// </summary>
    public NameClaim ClaimName(string name, byte[] identity, string node) => _db.Run(db =>
    {
        var at = ("@t", (object)_clock().ToUnixTimeMilliseconds());
        // Each round either claims the name or reads its holder. A round can find neither only on
        // PostgreSQL, when the holder released it between the two statements; the next one claims it.
        while (true)
        {
            using var tx = db.BeginTransaction();
            if (db.Execute("INSERT INTO online_names (name, identity, node, claimed_at) VALUES (@n, @i, @node, @t) ON CONFLICT DO NOTHING",
                    ("@n", name), ("@i", identity), ("@node", node), at) == 1)
            {
                tx.Commit();
                return new NameClaim(true, null);
            }
            if (Holder(db, name) is not var (holder, previous))
                continue;
            if (!holder.AsSpan().SequenceEqual(identity))
                return new NameClaim(false, null);
            db.Execute("UPDATE online_names SET node = @node, claimed_at = @t WHERE name = @n", ("@n", name), ("@node", node), at);
            tx.Commit();
            return new NameClaim(true, previous == node ? null : previous);
        }
    });

    // Read with the row locked, so that a claim by another node cannot move it before this one commits.
    private (byte[] Identity, string Node)? Holder(DbConnection db, string name)
    {
        using var cmd = db.Command("SELECT identity, node FROM online_names WHERE name = @n" + _db.LockForUpdate, ("@n", name));
        using var reader = cmd.ExecuteReader();
        return reader.Read() ? ((byte[])reader[0], reader.GetString(1)) : null;
    }

    /// <summary>
    /// Frees <paramref name="name"/> if <paramref name="node"/> holds it. A late release from a node the
    /// name has since moved away from changes nothing.
    /// </summary>
    public void ReleaseName(string name, string node) =>
        _db.Run(db => db.Execute("DELETE FROM online_names WHERE name = @n AND node = @node", ("@n", name), ("@node", node)));

    /// <summary>Frees every name <paramref name="node"/> holds (it left or crashed); returns how many.</summary>
    public int ReleaseNode(string node) =>
        _db.Run(db => db.Execute("DELETE FROM online_names WHERE node = @node", ("@node", node)));

    public void Dispose() => _db.Dispose();
}

/// <summary>The answer to <see cref="OfflineStore.ClaimName"/>.</summary>
/// <param name="Granted">The name is now held by the claiming identity through the claiming node.</param>
/// <param name="PreviousNode">The node that held the claim for the same identity until now; null when none or the same node.</param>
public sealed record NameClaim(bool Granted, string? PreviousNode);
