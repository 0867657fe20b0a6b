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
    public byte[] Export()
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        Expire(clock());
        return SessionBookState.Write(me, MyName, new SessionBookState.Parts(
            nextSequence, signedPrekeys, OneTimePrekeys, sessions.Values.ToList(), sendingTo, retired, skipped, sendSequences));
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
        int maxSkipNewSession = DefaultMaxSkipNewSession)
    {
        var book = new SessionBook(me, myName, maxSkip, skippedKeyLifetime, clock, signedPrekeyGracePeriod, maxSkipPerPeer, maxSkipNewSession);
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
