using System.Data.Common;
using Entice.Wire;

namespace Entice.Server.Store;

/// <summary>
/// Room-wide envelopes kept for members who are away: the room's log. Each is stored once, as a row of
/// <c>waiting</c> with no recipient, whatever the number of members away; each remembered member has a
/// cursor in <c>members</c>: <c>log_after</c> (room rows up to it are done for them: received, or sent
/// while they were present) and <c>log_until</c> (null while away: owed every later row; while present,
/// the log's end when they arrived: owed only up to it, what came later reached them live). So a member
/// is owed the rows in (log_after, log_until], handed in <c>seq</c> order with their direct envelopes
/// (one sequence for both), and each acknowledgement moves the cursor, durably: a restarted server hands
/// nothing twice. A row goes once no member is owed it (or when it expires).
/// </summary>
/// <remarks>
/// Bounds: a row counts against its sender's quota (<c>max-per-sender</c>; beyond it the envelope is
/// refused and the sender hears <c>sender_full</c>), and one sender has at most <c>max-per-recipient</c>
/// room-wide rows waiting in one room (beyond it, their own oldest there goes), so what one member can
/// make the relay keep is capped and crowds out nobody else's messages. Members away are bounded by the
/// room (<c>away.max-per-room</c>), and each is owed at most that many rows per sender.
/// A member who goes away again before acknowledging all that was handed keeps their cursor: they are
/// handed it again, with what reached them live meanwhile (copies their client drops).
/// </remarks>
public sealed partial class OfflineStore
{
    /// <summary>
    /// Keeps a room-wide envelope for the members of <paramref name="room"/> who are away; false when its
    /// sender's quota is full. A sender's share of one room's log is bounded too: beyond it, that sender's
    /// oldest row there goes (the members away miss their oldest messages from that sender, nobody else's).
    /// </summary>
    public bool EnqueueForRoom(string room, Envelope envelope)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        return _db.Run(db =>
        {
            using var tx = db.BeginTransaction();
            var share = db.Count("SELECT COUNT(*) FROM waiting WHERE sender = @s AND room = @room AND recipient = ''",
                ("@s", envelope.Sender), ("@room", room));
            if (share >= _maxPerRecipient)
            {
                db.Execute("""
                    DELETE FROM waiting WHERE seq IN
                        (SELECT seq FROM waiting WHERE sender = @s AND room = @room AND recipient = '' ORDER BY seq LIMIT @k)
                    """, ("@s", envelope.Sender), ("@room", room), ("@k", share - _maxPerRecipient + 1));
            }
            var kept = db.Execute("""
                INSERT INTO waiting (room, recipient, envelope, stored_at, sender)
                SELECT @room, '', @e, @t, @s WHERE (SELECT COUNT(*) FROM waiting WHERE sender = @s) < @maxs
                """, ("@room", room), ("@e", WireCodec.Encode(envelope)), ("@t", _clock().ToUnixTimeMilliseconds()),
                ("@s", envelope.Sender), ("@maxs", (long)_maxPerSender)) == 1;
            if (kept)
                tx.Commit();
            return kept;
        });
    }

    // The end of the log: rows stored from now on have a higher seq (both backends never reuse one).
    private static long LogEnd(DbConnection db) => db.Count("SELECT COALESCE(MAX(seq), 0) FROM waiting");

    // A member arrives: owed what was logged while away, up to now; what comes later reaches them live.
    private static void Arrived(DbConnection db, string room, string name) =>
        db.Execute("UPDATE members SET log_until = @end WHERE room = @room AND name = @name AND log_until IS NULL",
            ("@room", room), ("@name", name), ("@end", LogEnd(db)));

    // Members go away: owed every row from now on. One who acknowledged all that was handed skips what
    // reached them live; one who did not keeps the cursor (handed again, copies included).
    private static void WentAway(DbConnection db, string room, string? name)
    {
        var end = LogEnd(db);
        db.Execute($"""
            UPDATE members SET log_after = CASE WHEN log_after < @end AND NOT EXISTS
                                   (SELECT 1 FROM waiting w WHERE w.room = @room AND w.recipient = '' AND w.seq > members.log_after
                                                              AND w.seq <= members.log_until AND w.sender <> members.name)
                                   THEN @end ELSE log_after END,
                               log_until = NULL
            WHERE room = @room AND log_until IS NOT NULL{(name is null ? "" : " AND name = @name")}
            """, ("@room", room), ("@name", name ?? ""), ("@end", end));
    }

    // Room rows no remembered member is owed any more go.
    private static void DropUnowed(DbConnection db, string room) => db.Execute("""
        DELETE FROM waiting WHERE room = @room AND recipient = '' AND NOT EXISTS
            (SELECT 1 FROM members m WHERE m.room = @room AND m.name <> waiting.sender AND waiting.seq > m.log_after
                                       AND (m.log_until IS NULL OR waiting.seq <= m.log_until))
        """, ("@room", room));

    // The recipient acknowledged room row seq: their cursor moves past it (rows are handed and handled
    // in order), and the row goes if nobody else is owed it.
    private static bool AcknowledgeLogged(DbConnection db, string recipient, ulong seq)
    {
        using var find = db.Command("SELECT room FROM waiting WHERE seq = @seq AND recipient = ''", ("@seq", (long)seq));
        if (find.ExecuteScalar() is not string room)
            return false;
        var moved = db.Execute("""
            UPDATE members SET log_after = @seq
            WHERE room = @room AND name = @r AND log_after < @seq AND (log_until IS NULL OR @seq <= log_until)
            """, ("@room", room), ("@r", recipient), ("@seq", (long)seq)) > 0;
        if (moved)
            DropUnowed(db, room);
        return moved;
    }

    // What waits for a member: their direct envelopes and the room rows they are owed, in seq order.
    private static List<StoredEnvelope> Owed(DbConnection db, string room, string recipient)
    {
        long after = long.MaxValue, until = long.MaxValue;
        using (var cursor = db.Command("SELECT log_after, log_until FROM members WHERE room = @room AND name = @r", ("@room", room), ("@r", recipient)))
        using (var row = cursor.ExecuteReader())
        {
            if (row.Read())
            {
                after = row.GetInt64(0);
                until = row.IsDBNull(1) ? long.MaxValue : row.GetInt64(1);
            }
        }
        var pending = new List<StoredEnvelope>();
        using var cmd = db.Command("""
            SELECT seq, envelope FROM waiting WHERE recipient = @r AND room = @room
            UNION ALL
            SELECT seq, envelope FROM waiting WHERE recipient = '' AND room = @room AND seq > @after AND seq <= @until AND sender <> @r
            ORDER BY seq
            """, ("@r", recipient), ("@room", room), ("@after", after), ("@until", until));
        using var reader = cmd.ExecuteReader();
        while (reader.Read())
        {
            if (WireCodec.TryDecode((byte[])reader[1], out var m, out _) && m is Envelope e)
                pending.Add(new StoredEnvelope((ulong)reader.GetInt64(0), e));
        }
        return pending;
    }
}
