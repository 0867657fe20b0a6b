using Entice.Client.Keys;
using Entice.Wire;

namespace Entice.Client.Messages;

/// <summary>
/// From an envelope to what the user sees: the inbox side, beside <see cref="Outgoing"/>. Every envelope
/// goes to the crypto actor, copies included: de-duplication happens after decryption (a replayed copy
/// is rejected there), so a relay that rewrites an envelope id cannot make a genuine message vanish.
/// What decrypted goes through the <see cref="Inbox{T}"/>, which shows each sender's messages in the
/// order they were sent and reports gaps, then through <see cref="Reassembly"/> for the fragments of
/// long messages; a message read is answered with a receipt (through <see cref="Outgoing"/>).
/// </summary>
internal sealed class Incoming(ClientSettings settings, RoomRoster roster, IChatOutput output, Screen screen, Outgoing outgoing)
{
    /// <summary>Timer message: give up waiting for what is missing or incomplete.</summary>
    public sealed record Tick;

    /// <summary>A decrypted envelope on its way to the screen.</summary>
    private sealed record Arrival(CryptoAgent.Decrypted Decrypted, ulong? EnvelopeId)
    {
        public override string ToString() => $"Arrival from {Decrypted.From}";
    }

    private readonly SeenEnvelopes _seen = new();
    private readonly Inbox<Arrival> _inbox = new(settings.ReorderWait.Ticks);
    private readonly Reassembly _reassembly = new(settings.MaxMessageBytes);
    // Envelopes at the crypto actor, by display ticket; StoredSeq is set for one kept while we were away.
    private readonly Dictionary<ulong, (string Sender, ulong Id, ulong? StoredSeq)> _decrypting = [];
    // Messages shown before their new key state was written (by display ticket), with the receipt each waits
    // to send: nobody learns that a message was read before a crash could no longer show it again.
    private readonly Dictionary<ulong, Action?> _unsaved = [];

    /// <summary>Whether a shown message still waits for its save before its receipt can go.</summary>
    public bool WaitingForSaves => _unsaved.Count > 0;

    // A stored envelope (kept while we were away) is acknowledged once handled, whatever the outcome,
    // so the server deletes it: each is shown at most once, and a copy after a crash is a quiet replay.
    public void OnEnvelope(Envelope envelope, ulong? storedSeq)
    {
        if (!roster.TryGet(envelope.Room, envelope.Sender, out var sender))
        {
            AckStored(storedSeq);
            screen.Show(new ErrorEvent(ErrorCodes.DecryptFailed, $"a message from {envelope.Sender}, who is not in room {envelope.Room}, was ignored"));
            return;
        }
        var ticket = screen.Reserve();
        _decrypting[ticket] = (envelope.Sender, envelope.Id, storedSeq);
        // A room-wide envelope is checked against the room as we see it now (its member-set hash).
        var members = envelope.Recipient.Length == 0 ? roster.MemberList(envelope.Room) : null;
        output.ToCrypto(new CryptoAgent.Decrypt(envelope, sender, ticket, members) { Durable = storedSeq is not null });
    }

    /// <summary>The envelope carried a sender's key for a room: nothing to show, nothing to acknowledge to the sender.</summary>
    public void OnSenderKeyTaken(CryptoAgent.SenderKeyTaken taken)
    {
        // Seen like a message: a copy of it (resent after a reconnect, or two in flight across nodes)
        // is then a quiet replay, not an error on screen.
        if (_decrypting.Remove(taken.Ticket, out var key))
        {
            AckStored(key.StoredSeq);
            _seen.Add(key.Sender, key.Id);
        }
        screen.Answer(taken.Ticket, []);
    }

    public void OnDecrypted(CryptoAgent.Decrypted d)
    {
        ulong? envelopeId = null;
        if (_decrypting.Remove(d.Ticket, out var key))
        {
            AckStored(key.StoredSeq);
            _seen.Add(key.Sender, key.Id);
            envelopeId = key.Id;
        }
        if (!d.Saved)
            _unsaved[d.Ticket] = null;
        var events = new List<ChatEvent>();
        var arrival = new Arrival(d, envelopeId);
        // Receipts are not numbered (their order does not matter); messages are, per conversation.
        if (d.Plaintext.ReceiptFor is not null)
            Open(arrival, events);
        else
            Release(_inbox.Accept(d.From, d.Conversation, d.Sequence, arrival, MonotonicClock.Now()), events);
        screen.Answer(d.Ticket, events);
    }

    /// <summary>The key state a message was shown before is written: its receipt may go now.</summary>
    public void OnDecryptSaved(CryptoAgent.DecryptSaved saved)
    {
        if (_unsaved.Remove(saved.Ticket, out var receipt))
            receipt?.Invoke();
    }

    public void OnDecryptRejected(CryptoAgent.DecryptRejected r)
    {
        var known = _decrypting.Remove(r.Ticket, out var key);
        if (known)
            AckStored(key.StoredSeq);
        // A copy of an envelope that was shown already (two copies in flight at once, or a stored one
        // delivered again after we crashed before acknowledging it) is no attack.
        var copy = known && r.Code == ErrorCodes.Replay && (key.StoredSeq is not null || _seen.Contains(key.Sender, key.Id));
        screen.Answer(r.Ticket, copy ? [] : [new ErrorEvent(r.Code, r.Reason)]);
    }

    /// <summary>Held until the sender is trusted again: its place on screen is given up.</summary>
    public void OnDecryptHeld(CryptoAgent.DecryptHeld h) => screen.Answer(h.Ticket, []);

    public void OnTick()
    {
        var now = MonotonicClock.Now();
        var events = new List<ChatEvent>();
        Release(_inbox.Expire(now), events);
        foreach (var sender in _reassembly.DropIdle(settings.FragmentTimeout.Ticks, now))
            events.Add(new ErrorEvent(ErrorCodes.DecryptFailed, $"an incomplete long message from {sender} was dropped: its next part did not come within {settings.FragmentTimeout.TotalSeconds:0} s"));
        foreach (var e in events)
            screen.Show(e);
    }

    private void AckStored(ulong? seq)
    {
        if (seq is { } s)
            output.ToServer(new StoredAck(s));
    }

    private void Release(List<Inbox<Arrival>.Release> releases, List<ChatEvent> events)
    {
        foreach (var release in releases)
        {
            switch (release)
            {
                case Inbox<Arrival>.Item item:
                    Open(item.Value, events);
                    break;
                case Inbox<Arrival>.Gap gap:
                    events.Add(new GapEvent(gap.From, gap.Missing, Late: false));
                    break;
                case Inbox<Arrival>.Late late:
                    events.Add(new GapEvent(late.From, 0, Late: true));
                    break;
            }
        }
    }

    // A receipt, a short message, or a fragment of a long one.
    private void Open(Arrival arrival, List<ChatEvent> events)
    {
        var d = arrival.Decrypted;
        if (d.Plaintext.ReceiptFor is { } ids)
        {
            events.AddRange(outgoing.Delivered(d.From, ids));
            return;
        }
        var text = d.Plaintext.Text;
        if (Fragments.TryParse(text, out var part, out var malformed))
        {
            switch (_reassembly.Add(d.From, d.Room, d.Direct, part!, MonotonicClock.Now()))
            {
                case Reassembly.Waiting waiting:
                    if (waiting.Abandoned is { } abandoned)
                        events.Add(new ErrorEvent(ErrorCodes.DecryptFailed, abandoned));
                    return;
                case Reassembly.Dropped dropped:
                    events.Add(new ErrorEvent(ErrorCodes.DecryptFailed, dropped.Reason));
                    return;
                case Reassembly.Complete complete:
                    if (complete.Abandoned is { } replaced)
                        events.Add(new ErrorEvent(ErrorCodes.DecryptFailed, replaced));
                    text = complete.Text;
                    break;
            }
        }
        else if (malformed)
        {
            events.Add(new ErrorEvent(ErrorCodes.DecryptFailed, $"a part of a long message from {d.From} had a malformed header; dropped"));
            return;
        }
        events.Add(new MessageEvent(d.Room, d.From, text, d.Direct, DateTimeOffset.FromUnixTimeMilliseconds(Math.Clamp(d.Plaintext.SentAtUnixMs, 0, 253402300799999)))
        {
            EnvelopeId = arrival.EnvelopeId,
        });
        if (arrival.EnvelopeId is { } id)
        {
            if (_unsaved.ContainsKey(d.Ticket))
                _unsaved[d.Ticket] = () => outgoing.SendReceipt(d.Room, d.From, id, roomMessage: !d.Direct);
            else
                outgoing.SendReceipt(d.Room, d.From, id, roomMessage: !d.Direct);
        }
    }
}
