using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Entice.Server.Store;

/// <summary>
/// The database behind an <see cref="OfflineStore"/>, and the few things in which its two kinds differ:
/// column types, row locks, and how a call gets a connection. Every statement the store runs is
/// written once, in the SQL both understand (<c>@name</c> parameters, <c>ON CONFLICT</c>, <c>RETURNING</c>).
/// </summary>
internal abstract class StoreDatabase : IDisposable
{
    /// <summary>Ends a SELECT that picks a row to change: other nodes skip it instead of taking it too.</summary>
    public abstract string LockSkippingTaken { get; }

    /// <summary>Ends a SELECT of a row about to be changed: another node's change waits until this one commits.</summary>
    public abstract string LockForUpdate { get; }

    /// <summary>Runs one store call on a connection no other call uses meanwhile.</summary>
    public abstract T Run<T>(Func<DbConnection, T> call);

    public abstract void Dispose();

    protected static string Schema(string blob, string autoIncrementKey) => $"""
        CREATE TABLE IF NOT EXISTS members (room TEXT NOT NULL, name TEXT NOT NULL, info {blob} NOT NULL, PRIMARY KEY (room, name));
        CREATE TABLE IF NOT EXISTS waiting (seq {autoIncrementKey}, room TEXT NOT NULL, recipient TEXT NOT NULL,
                                            envelope {blob} NOT NULL, stored_at BIGINT NOT NULL);
        CREATE INDEX IF NOT EXISTS waiting_by_recipient ON waiting (recipient, room, seq);
        CREATE TABLE IF NOT EXISTS prekeys (name TEXT NOT NULL, owner {blob} NOT NULL, id BIGINT NOT NULL, key {blob} NOT NULL,
                                            given INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (name, owner, id));
        CREATE TABLE IF NOT EXISTS online_names (name TEXT PRIMARY KEY, identity {blob} NOT NULL, node TEXT NOT NULL, claimed_at BIGINT NOT NULL);
        CREATE INDEX IF NOT EXISTS online_names_by_node ON online_names (node);
        CREATE TABLE IF NOT EXISTS name_owners (name TEXT PRIMARY KEY, skeleton TEXT NOT NULL, identity {blob} NOT NULL,
                                                claimed_at BIGINT NOT NULL, last_used BIGINT NOT NULL);
        CREATE INDEX IF NOT EXISTS name_owners_by_skeleton ON name_owners (skeleton);
        """;

    /// <summary>Columns added after the first release, and the indexes on them (run after <see cref="AddColumn"/>).</summary>
    protected static readonly (string Table, string Column, string Type)[] AddedColumns =
    [
        ("members", "seen_at", "BIGINT NOT NULL DEFAULT 0"),
        ("waiting", "sender", "TEXT NOT NULL DEFAULT ''"),
        // The member's cursor in the room's log of room-wide envelopes (OfflineStore.RoomLog).
        ("members", "log_after", "BIGINT NOT NULL DEFAULT 0"),
        ("members", "log_until", "BIGINT"),
    ];

    protected const string AddedIndexes = """
        CREATE INDEX IF NOT EXISTS waiting_by_sender ON waiting (sender);
        CREATE INDEX IF NOT EXISTS members_by_seen ON members (room, seen_at);
        """;
}

/// <summary>
/// One SQLite file used by one node: a single connection, calls serialised by a lock. Separate
/// connections to the same file (a second store, a test) still see atomic statements: SQLite locks
/// the file for each write.
/// </summary>
internal sealed class SqliteStoreDatabase : StoreDatabase
{
    private readonly SqliteConnection _db;
    private readonly Lock _lock = new();

    private SqliteStoreDatabase(SqliteConnection db) => _db = db;

    public static SqliteStoreDatabase Open(string file)
    {
        var db = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file }.ToString());
        db.Open();
        db.Execute("""
            PRAGMA journal_mode = WAL;
            PRAGMA synchronous = FULL;
            """);
        // One writer's transaction: two stores opening one file at once (a test's two "nodes") must not
        // both find a column missing and both add it.
        using var tx = db.BeginTransaction(deferred: false);
        // Prekeys used to be keyed by name alone, so a new identity taking over a name was handed out the
        // old one's. Such a table goes: clients publish their unused prekeys again at every connection.
        if (db.Count("SELECT COUNT(*) FROM sqlite_master WHERE name = 'prekeys'") > 0 &&
            db.Count("SELECT COUNT(*) FROM pragma_table_info('prekeys') WHERE name = 'owner'") == 0)
            db.Execute("DROP TABLE prekeys");
        db.Execute(Schema("BLOB", "INTEGER PRIMARY KEY AUTOINCREMENT"));
        foreach (var (table, column, type) in AddedColumns)
        {
            if (db.Count($"SELECT COUNT(*) FROM pragma_table_info('{table}') WHERE name = '{column}'") == 0)
                db.Execute($"ALTER TABLE {table} ADD COLUMN {column} {type}");
        }
        db.Execute(AddedIndexes);
        tx.Commit();
        return new SqliteStoreDatabase(db);
    }

    // SQLite has one writer at a time and no row locks: its transactions already exclude other writers.
    public override string LockSkippingTaken => "";

    public override string LockForUpdate => "";

    public override T Run<T>(Func<DbConnection, T> call)
    {
        lock (_lock)
            return call(_db);
    }

    public override void Dispose()
    {
        lock (_lock)
            _db.Dispose();
    }
}

/// <summary>
/// A PostgreSQL database shared by every node of a cluster: a pooled connection per call, so calls from
/// many actors run side by side, and row locks where two nodes could change the same row.
/// </summary>
internal sealed class PostgresStoreDatabase : StoreDatabase
{
    // Any fixed number: it names the lock that nodes opening the store at once take in turn.
    private const long SchemaLock = 0x456E74696365; // "Entice"

    private readonly NpgsqlDataSource _source;

    private PostgresStoreDatabase(NpgsqlDataSource source) => _source = source;

    public static PostgresStoreDatabase Open(string connectionString)
    {
        var store = new PostgresStoreDatabase(NpgsqlDataSource.Create(connectionString));
        try
        {
            // CREATE TABLE IF NOT EXISTS is not safe against itself: two nodes starting together could both
            // find no table and one fail. The transaction-scoped lock lets one create while the other waits.
            store.Run(db =>
            {
                using var tx = db.BeginTransaction();
                db.Execute("SELECT pg_advisory_xact_lock(@lock)", ("@lock", SchemaLock));
                db.Execute(Schema("BYTEA", "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY"));
                foreach (var (table, column, type) in AddedColumns)
                    db.Execute($"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS {column} {type}");
                db.Execute(AddedIndexes);
                tx.Commit();
                return 0;
            });
            return store;
        }
        catch
        {
            store.Dispose();
            throw;
        }
    }

    public override string LockSkippingTaken => " FOR UPDATE SKIP LOCKED";

    public override string LockForUpdate => " FOR UPDATE";

    public override T Run<T>(Func<DbConnection, T> call)
    {
        using var db = _source.OpenConnection();
        return call(db);
    }

    public override void Dispose() => _source.Dispose();
}

/// <summary>Statements with <c>@name</c> parameters, on either database.</summary>
internal static class Sql
{
    public static DbCommand Command(this DbConnection db, string sql, params (string Name, object Value)[] parameters)
    {
        // A command joins the connection's open transaction, if any, by itself (both providers do so).
        var cmd = db.CreateCommand();
        cmd.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = cmd.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value;
            cmd.Parameters.Add(parameter);
        }
        return cmd;
    }

    public static int Execute(this DbConnection db, string sql, params (string Name, object Value)[] parameters)
    {
        using var cmd = db.Command(sql, parameters);
        return cmd.ExecuteNonQuery();
    }

    public static long Count(this DbConnection db, string sql, params (string Name, object Value)[] parameters)
    {
        using var cmd = db.Command(sql, parameters);
        return Convert.ToInt64(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
