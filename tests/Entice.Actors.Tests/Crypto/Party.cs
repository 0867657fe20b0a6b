using Entice.Crypto.Identity;
using Entice.Crypto.Ratchet;

namespace Entice.Tests.Crypto;

/// <summary>One chat participant for tests: identity, signed prekey, session book and published keys.</summary>
internal sealed class Party : IDisposable
{
    public Party(string name, int maxSkip = 1000, uint prekeyId = 1, TestClock? clock = null, TimeSpan? skippedKeyLifetime = null,
        int? maxSkipPerPeer = null, int maxSkipNewSession = SessionBook.DefaultMaxSkipNewSession, int sendReservation = 0)
    {
        SendReservation = sendReservation;
        MaxSkipPerPeer = maxSkipPerPeer;
        MaxSkipNewSession = maxSkipNewSession;
        Name = name;
        MaxSkip = maxSkip;
        Clock = clock ?? new TestClock();
        SkippedKeyLifetime = skippedKeyLifetime;
        Identity = IdentityKeys.Create();
        Prekey = SignedPrekey.Create(Identity, prekeyId);
        Book = new SessionBook(Identity, name, Prekey, maxSkip, skippedKeyLifetime, Clock.Now,
            maxSkipPerPeer: maxSkipPerPeer, maxSkipNewSession: maxSkipNewSession, sendReservation: sendReservation);
        Keys = new PeerKeys(name, Bundles.CreateBundle(Identity, Prekey));
    }

    public string Name { get; }

    public int MaxSkip { get; }

    public int? MaxSkipPerPeer { get; }

    public int MaxSkipNewSession { get; }

    public int SendReservation { get; }

    public TestClock Clock { get; }

    public TimeSpan? SkippedKeyLifetime { get; }

    public IdentityKeys Identity { get; }

    public SignedPrekey Prekey { get; }

    public SessionBook Book { get; private set; }

    public PeerKeys Keys { get; }

    public static MessageContext Direct(Party from, Party to) => new("lobby", from.Name, to.Name, Direct: true);

    /// <summary>A second book restored from <paramref name="state"/>: what an attacker holding a copy of it would have.</summary>
    public SessionBook Restore(byte[] state) => SessionBook.Import(Identity, Name, state, MaxSkip, SkippedKeyLifetime, Clock.Now,
        maxSkipPerPeer: MaxSkipPerPeer, maxSkipNewSession: MaxSkipNewSession, sendReservation: SendReservation);

    /// <summary>Replace this party's book by one restored from its own export (a restart).</summary>
    public void Restart()
    {
        var state = Book.Export();
        Book.Dispose();
        Book = Restore(state);
    }

    public void Dispose()
    {
        Book.Dispose();
        Prekey.Dispose();
        Identity.Dispose();
    }
}

/// <summary>A clock tests move by hand.</summary>
internal sealed class TestClock
{
    public DateTimeOffset Current { get; set; } = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    public DateTimeOffset Now() => Current;

    public void Advance(TimeSpan by) => Current += by;
}
