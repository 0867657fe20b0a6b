using System.Text;
using Entice.Crypto.Ratchet;

namespace Entice.Tests.Crypto;

/// <summary>
/// Issue 17: a save holds each sending chain reserved some steps ahead, so messages inside a saved reservation
/// need no write before they leave. A crash (a restart from the last save) after such messages must never use
/// a message key again, the peer must read on across the gap, and the saved file must not hold a chain key
/// that derives the key of a message already sent.
/// </summary>
public sealed class SendReservationSpecs : IDisposable
{
    private const int Reservation = 32;
    private readonly Party _alice = new("alice", sendReservation: Reservation);
    private readonly Party _bob = new("bob");

    public void Dispose()
    {
        _alice.Dispose();
        _bob.Dispose();
    }

    [Fact]
    public void A_crash_after_sends_without_a_write_never_reuses_a_message_key_and_the_peer_reads_on()
    {
        var first = Send(_alice.Book, "first");
        Assert.True(_alice.Book.SendNeedsSave); // a new session: saved before it leaves
        var saved = _alice.Book.Export();
        _alice.Book.Saved();
        Assert.Equal("first", Receive(first));

        var unsaved = new List<byte[]>();
        for (var i = 0; i < 5; i++)
        {
            unsaved.Add(Send(_alice.Book, $"unsaved {i}"));
            Assert.False(_alice.Book.SendNeedsSave, "a message inside the saved reservation needs no save");
        }

        // The crash: alice restarts from the last save, which was made before those five.
        using var restarted = _alice.Restore(saved);
        var afterCrash = Send(restarted, "after the crash");
        var usedBefore = unsaved.Prepend(first).Select(Index).ToList();
        Assert.DoesNotContain(Index(afterCrash), usedBefore);
        Assert.True(Index(afterCrash) > usedBefore.Max());

        // Bob reads everything, in any order, and a replay is still refused.
        Assert.Equal("after the crash", Receive(afterCrash));
        for (var i = 4; i >= 0; i--)
            Assert.Equal($"unsaved {i}", Receive(unsaved[i]));
        Assert.Equal(DecryptFailure.Replay, _bob.Book.Decrypt(_alice.Keys, Party.Direct(_alice, _bob), unsaved[2]).Failure);
    }

    [Fact]
    public void The_saved_file_holds_the_chain_only_from_beyond_every_message_sent()
    {
        Send(_alice.Book, "first");
        _alice.Book.Export();
        _alice.Book.Saved();
        var sent = new List<byte[]>();
        for (var i = 0; i < 20; i++)
            sent.Add(Send(_alice.Book, $"m{i}"));

        // Whatever is saved now: a book restored from it sends only past every index used, so it cannot
        // compute any of those message keys (the chain KDF is one-way).
        using var restored = _alice.Restore(_alice.Book.Export());
        var next = Send(restored, "next");
        Assert.True(Index(next) > sent.Select(Index).Max());
        Assert.True(Index(next) <= 21 + Reservation);
    }

    [Fact]
    public void Only_a_send_past_the_durable_reservation_needs_a_save_and_half_of_it_asks_for_the_next()
    {
        // Bob answers: alice's session is acknowledged (an unanswered one is reserved only up to what a
        // session-starting message may skip), and her next chain starts at 0.
        Receive(Send(_alice.Book, "first"));
        var reply = _bob.Book.Encrypt(_alice.Keys, Party.Direct(_bob, _alice), Encoding.UTF8.GetBytes("reply"));
        Assert.True(_alice.Book.Decrypt(_bob.Keys, Party.Direct(_bob, _alice), reply).Succeeded);
        _alice.Book.Export();
        _alice.Book.Saved(); // reserved through index 32

        var low = -1;
        for (var i = 0; i < Reservation; i++)
        {
            Send(_alice.Book, $"m{i}");
            Assert.False(_alice.Book.SendNeedsSave);
            if (low < 0 && _alice.Book.ReservationLow)
                low = i;
        }

        Assert.InRange(low, Reservation / 2 - 2, Reservation / 2 + 1);
        // Exported but never confirmed durable: the next reservation is not relied on.
        _alice.Book.Export();
        Send(_alice.Book, "past the reservation");
        Assert.True(_alice.Book.SendNeedsSave);
    }

    [Fact]
    public void A_reservation_larger_than_half_of_what_a_peer_may_skip_is_refused()
    {
        Assert.Equal(125, SessionBook.MaxSendReservation(250));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Party("carol", maxSkipPerPeer: 250, sendReservation: 126));
        using var fine = new Party("dave", maxSkipPerPeer: 250, sendReservation: 125);
    }

    private byte[] Send(SessionBook book, string text) =>
        book.Encrypt(_bob.Keys, Party.Direct(_alice, _bob), Encoding.UTF8.GetBytes(text));

    private string Receive(byte[] ciphertext)
    {
        var result = _bob.Book.Decrypt(_alice.Keys, Party.Direct(_alice, _bob), ciphertext);
        Assert.True(result.Succeeded, result.ToString());
        return Encoding.UTF8.GetString(result.Plaintext);
    }

    private static uint Index(byte[] ciphertext)
    {
        Assert.True(RatchetHeader.TryParse(ciphertext, out var header));
        return header!.Index;
    }
}
