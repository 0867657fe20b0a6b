using Entice.Wire;
using Microsoft.Data.Sqlite;

namespace Entice.Server;

/// <summary>
/// What the relay keeps on disk (SQLite, <c>entice.db</c> in the data directory): the members each room
/// remembers (name and published keys) and the envelopes waiting for members who are away. Envelopes
/// are stored exactly as relayed, ciphertext the server cannot read. A stored envelope is committed
/// (synchronous=FULL) before the sender is told the server took it, so it survives a crash or restart.
/// Calls are short and serialised by a lock: rooms call it from their own actors.
/// </summary>
public sealed class OfflineStore : IDisposable
{
    private readonly SqliteConnection _db;
    private readonly Lock _lock = new();
    private readonly int _maxPerRecipient;
    private readonly TimeSpan _ttl;
    private readonly Func<DateTimeOffset> _clock;

    private OfflineStore(SqliteConnection db, int maxPerRecipient, TimeSpan ttl, Func<DateTimeOffset> clock)
    {
        _db = db;
        _maxPerRecipient = maxPerRecipient;
        _ttl = ttl;
        _clock = clock;
    }

    public static OfflineStore Open(string dataDir, int maxPerRecipient = 1000, TimeSpan? ttl = null, Func<DateTimeOffset>? clock = null)
    {
        Directory.CreateDirectory(dataDir);
        var db = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path.Combine(dataDir, "entice.db") }.ToString());
        db.Open();
        Execute(db, """
            PRAGMA journal_mode = WAL;
            PRAGMA synchronous = FULL;
            CREATE TABLE IF NOT EXISTS members (room TEXT NOT NULL, name TEXT NOT NULL, info BLOB NOT NULL, PRIMARY KEY (room, name));
            CREATE TABLE IF NOT EXISTS waiting (seq INTEGER PRIMARY KEY AUTOINCREMENT, room TEXT NOT NULL, recipient TEXT NOT NULL,
                                                envelope BLOB NOT NULL, stored_at INTEGER NOT NULL);
            CREATE INDEX IF NOT EXISTS waiting_by_recipient ON waiting (recipient, room, seq);
            CREATE TABLE IF NOT EXISTS prekeys (name TEXT NOT NULL, id INTEGER NOT NULL, key BLOB NOT NULL,
                                                given INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (name, id));
            """);
        return new OfflineStore(db, maxPerRecipient, ttl ?? TimeSpan.FromDays(7), clock ?? (() => DateTimeOffset.UtcNow));
    }

    public void RememberMember(string room, MemberInfo member)
    {
        ArgumentNullException.ThrowIfNull(member);
        lock (_lock)
            Execute(_db, "INSERT OR REPLACE INTO members (room, name, info) VALUES ($room, $name, $info)",
                ("$room", room), ("$name", member.Name), ("$info", WireCodec.Encode(new MemberJoined(room, member))));
    }

    public void ForgetMember(string room, string name)
    {
        lock (_lock)
            Execute(_db, "DELETE FROM members WHERE room = $room AND name = $name", ("$room", room), ("$name", name));
    }

    public List<MemberInfo> Members(string room)
    {
        var members = new List<MemberInfo>();
        lock (_lock)
        {
            using var cmd = Command(_db, "SELECT info FROM members WHERE room = $room ORDER BY name", ("$room", room));
            using var reader = cmd.ExecuteReader();
            while (reader.Read())
            {
                if (WireCodec.TryDecode((byte[])reader[0], out var m, out _) && m is MemberJoined joined)
                    members.Add(joined.Member);
            }
        }
        return members;
    }

    /// <summary>Keeps an envelope for <paramref name="recipient"/>; false when their queue is full.</summary>
    public bool Enqueue(string room, string recipient, Envelope envelope)
    {
        lock (_lock)
        {
            using var count = Command(_db, "SELECT COUNT(*) FROM waiting WHERE recipient = $r", ("$r", recipient));
            if ((long)count.ExecuteScalar()! >= _maxPerRecipient)
                return false;
            Execute(_db, "INSERT INTO waiting (room, recipient, envelope, stored_at) VALUES ($room, $r, $e, $t)",
                ("$room", room), ("$r", recipient), ("$e", WireCodec.Encode(envelope)), ("$t", _clock().ToUnixTimeMilliseconds()));
            return true;
        }
    }

    /// <summary>What waits for <paramref name="recipient"/> in <paramref name="room"/>, oldest first; expired ones are dropped.</summary>
    public List<StoredEnvelope> Pending(string room, string recipient)
    {
        var pending = new List<StoredEnvelope>();
        lock (_lock)
        {
            Execute(_db, "DELETE FROM waiting WHERE stored_at < $cutoff", ("$cutoff", (_clock() - _ttl).ToUnixTimeMilliseconds()));
            using var cmd = Command(_db, "SELECT seq, envelope FROM waiting WHERE recipient = $r AND room = $room ORDER BY seq",
                ("$r", recipient), ("$room", room));
            using var reader = cmd.ExecuteReader();
            while (reader.Read())
            {
                if (WireCodec.TryDecode((byte[])reader[1], out var m, out _) && m is Envelope e)
                    pending.Add(new StoredEnvelope((ulong)reader.GetInt64(0), e));
            }
        }
        return pending;
    }

    /// <summary>The recipient handled it: delete. Only the recipient's own envelopes can be deleted.</summary>
    public bool Delete(string recipient, ulong seq)
    {
        lock (_lock)
            return Execute(_db, "DELETE FROM waiting WHERE seq = $seq AND recipient = $r", ("$seq", (long)seq), ("$r", recipient)) > 0;
    }

    /// <summary>Most one-time prekeys kept (not yet given out) for one name.</summary>
    public const int MaxPrekeysPerName = 200;

    /// <summary>
    /// Adds one-time prekeys for <paramref name="name"/>. An id seen before is ignored, even one already
    /// given out: a prekey is handed to one initiator only, ever. Returns how many are available now.
    /// </summary>
    public int PublishPrekeys(string name, IEnumerable<OneTimePrekey> prekeys)
    {
        ArgumentNullException.ThrowIfNull(prekeys);
        lock (_lock)
        {
            using var tx = _db.BeginTransaction();
            foreach (var p in prekeys)
            {
                if (AvailablePrekeysLocked(name) >= MaxPrekeysPerName)
                    break;
                Execute(_db, "INSERT OR IGNORE INTO prekeys (name, id, key) VALUES ($n, $id, $k)", ("$n", name), ("$id", (long)p.Id), ("$k", p.PublicKey));
            }
            tx.Commit();
            return AvailablePrekeysLocked(name);
        }
    }

    /// <summary>Gives out one of <paramref name="name"/>'s one-time prekeys (lowest id first), or null when none is left.</summary>
    public OneTimePrekey? TakePrekey(string name)
    {
        lock (_lock)
        {
            using var cmd = Command(_db, "SELECT id, key FROM prekeys WHERE name = $n AND given = 0 ORDER BY id LIMIT 1", ("$n", name));
            using var reader = cmd.ExecuteReader();
            if (!reader.Read())
                return null;
            var prekey = new OneTimePrekey((uint)reader.GetInt64(0), (byte[])reader[1]);
            reader.Close();
            Execute(_db, "UPDATE prekeys SET given = 1 WHERE name = $n AND id = $id", ("$n", name), ("$id", (long)prekey.Id));
            return prekey;
        }
    }

    public int AvailablePrekeys(string name)
    {
        lock (_lock)
            return AvailablePrekeysLocked(name);
    }

    private int AvailablePrekeysLocked(string name)
    {
        using var cmd = Command(_db, "SELECT COUNT(*) FROM prekeys WHERE name = $n AND given = 0", ("$n", name));
        return (int)(long)cmd.ExecuteScalar()!;
    }

    // TEMP (dev only, replaced by the store branch)
    public static OfflineStore OpenPostgres(string cs, int maxPerRecipient = 1000, TimeSpan? ttl = null) => throw new NotSupportedException(cs);
    public sealed record NameClaim(bool Granted, string? PreviousNode);
    private readonly Dictionary<string, (byte[] Id, string Node)> _claims = new();
    public NameClaim ClaimName(string name, byte[] identity, string node)
    {
        lock (_claims)
        {
            if (_claims.TryGetValue(name, out var c))
            {
                if (!c.Id.AsSpan().SequenceEqual(identity)) return new NameClaim(false, null);
                _claims[name] = (identity, node);
                return new NameClaim(true, c.Node == node ? null : c.Node);
            }
            _claims[name] = (identity, node);
            return new NameClaim(true, null);
        }
    }
    public void ReleaseName(string name, string node) { lock (_claims) if (_claims.TryGetValue(name, out var c) && c.Node == node) _claims.Remove(name); }
    public int ReleaseNode(string node) { lock (_claims) { var n = _claims.Where(kv => kv.Value.Node == node).Select(kv => kv.Key).ToList(); foreach (var k in n) _claims.Remove(k); return n.Count; } }

    public void Dispose()
    {
        lock (_lock)
            _db.Dispose();
    }

    private static SqliteCommand Command(SqliteConnection db, string sql, params (string Name, object Value)[] parameters)
    {
        var cmd = db.CreateCommand();
        cmd.CommandText = sql;
        foreach (var (name, value) in parameters)
            cmd.Parameters.AddWithValue(name, value);
        return cmd;
    }

    private static int Execute(SqliteConnection db, string sql, params (string Name, object Value)[] parameters)
    {
        using var cmd = Command(db, sql, parameters);
        return cmd.ExecuteNonQuery();
    }
}
