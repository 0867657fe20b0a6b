using Entice.Crypto.Identity;
using Entice.Crypto.Primitives;

namespace Entice.Crypto.Ratchet;

/// <summary>The book as bytes: export for the key directory, import at start.</summary>
public sealed partial class SessionBook
{
    /// <summary>
    /// The whole book (sessions, skipped keys with their times, signed and one-time prekeys with their
    /// private parts, retired sessions) in the versioned format of README.md. It is secret: store it only
    /// through <see cref="KeyDirectory.SaveSessions"/> or equivalent, and zero the array after use.
    /// </summary>
    /// <remarks>
    /// With a send reservation (and not <paramref name="exact"/>), each sending chain and send sequence is written
    /// as it will be that many messages ahead: a book restored from it resumes there, so no message key and no
    /// sequence number used before is used again, and the file never holds a chain key that derives a key already
    /// used. Call <see cref="Saved"/> once the write is durable: sends inside it then need no save
    /// (<see cref="SendNeedsSave"/>). <paramref name="exact"/>: the state as it is (a last save, nothing sent after).
    /// </remarks>
    public byte[] Export(bool exact = false)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        Expire(clock());
        var list = sessions.Values.ToList();
        var state = SessionBookState.Write(me, MyName, new SessionBookState.Parts(
            nextSequence, signedPrekeys, OneTimePrekeys, list, sendingTo, retired, skipped, sendSequences)
        {
            Reservation = exact ? null : ReservationFor,
            SequenceToSave = exact ? null : SequenceToSave,
        }, stateMacKey ??= SessionBookState.MacKey(me));
        pendingChains.Clear();
        foreach (var session in list)
        {
            pendingChains.Add((session.Id, session.SendChainVersion, session.WrittenSendIndex));
        }

        pendingSequences.Clear();
        foreach (var (key, last) in sendSequences)
        {
            pendingSequences[key] = exact ? last : sequenceReservations.GetValueOrDefault(key).Exported;
        }

        SendNeedsSave = false;
        ReservationLow = false;
        return state;
    }

    /// <summary>The last <see cref="Export"/> is on disk, flushed: the reservations it carries may be relied on.</summary>
    public void Saved()
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        foreach (var (id, version, index) in pendingChains)
        {
            if (sessions.TryGetValue(id, out var session))
            {
                session.MarkDurable(version, index);
            }
        }

        foreach (var (key, saved) in pendingSequences)
        {
            var current = sequenceReservations.GetValueOrDefault(key);
            sequenceReservations[key] = (Math.Max(current.Exported, saved), Math.Max(current.Durable, saved));
        }

        pendingChains.Clear();
        pendingSequences.Clear();
    }

    /// <summary>
    /// Restore a book saved by <see cref="Export"/> for the same identity and name. Throws
    /// <see cref="CryptoException"/> on any truncation, corruption or mismatch: it never starts fresh.
    /// </summary>
    public static SessionBook Import(
        IdentityKeys me,
        string myName,
        ReadOnlySpan<byte> state,
        int maxSkip = DefaultMaxSkip,
        TimeSpan? skippedKeyLifetime = null,
        Func<DateTimeOffset>? clock = null,
        TimeSpan? signedPrekeyGracePeriod = null,
        int? maxSkipPerPeer = null,
        int maxSkipNewSession = DefaultMaxSkipNewSession,
        int sendReservation = 0)
    {
        var book = new SessionBook(me, myName, maxSkip, skippedKeyLifetime, clock, signedPrekeyGracePeriod, maxSkipPerPeer, maxSkipNewSession, sendReservation);
        try
        {
            var restored = SessionBookState.Read(me, myName, state, book.signedPrekeys, book.OneTimePrekeys, book.skipped);
            book.nextSequence = restored.NextSequence;
            foreach (var session in restored.Sessions)
            {
                book.sessions.Add(session.Id, session);
            }

            foreach (var (peer, id) in restored.SendingTo)
            {
                book.sendingTo.Add(peer, id);
            }

            foreach (var (id, prekeyId) in restored.Retired)
            {
                book.retired.Add(id, prekeyId);
            }

            foreach (var (key, last) in restored.SendSequences)
            {
                book.sendSequences.Add(key, last);
            }

            return book;
        }
        catch
        {
            book.Dispose();
            throw;
        }
    }
}
