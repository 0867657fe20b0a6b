using System.Text;
using Akka.Event;
using Entice.Client.Keys;
using Entice.Wire;

namespace Entice.Client.Messages;

/// <summary>
/// From a typed text to envelopes on the wire. A text longer than a fragment goes as several encrypted
/// fragments (<see cref="Fragments"/>), beyond <c>max-message-size</c> not at all (one error). Every
/// envelope stays in the <see cref="Outbox"/> until the server acknowledges it and leaves through the
/// <see cref="Pacer{T}"/>, under the server's rate limit. An envelope larger than the server accepts is
/// never sent again once the server said so: a client that resent it after every reconnect would loop.
/// Owned by the chat actor, which tells it when the link comes and goes (<see cref="Attach"/>,
/// <see cref="GoOnline"/>, <see cref="Detach"/>).
/// </summary>
internal sealed class Outgoing(ClientSettings settings, RoomRoster roster, IChatOutput output, Screen screen, ILoggingAdapter log)
{
    /// <summary>Timer message: the pacer may let more go now.</summary>
    public sealed record PaceTick;

    /// <summary>Timer message: the receipts for room messages gathered meanwhile go now, one per sender.</summary>
    public sealed record ReceiptTick;

    // Room messages read are acknowledged per sender in one receipt for all read meanwhile (at most
    // ReceiptBatch ids each), not one receipt per message per member: the first after a quiet moment goes
    // receipt-delay after the message was read; while messages keep coming from that sender (a burst), the
    // next goes no sooner than receipt-interval-in-burst after the last, so in a burst each member costs the
    // sender a few pairwise decrypts per second, not one per 50 ms.
    private const int ReceiptBatch = 512;
    private readonly long _receiptDelay = Math.Max(0, settings.ReceiptDelay.Ticks);
    private readonly long _burstReceiptInterval = Math.Max(0, settings.ReceiptIntervalInBurst.Ticks);
    private readonly Dictionary<(string Room, string To), PendingReceipts> _receipts = [];
    private long _receiptTimerDue = long.MaxValue;

    /// <summary>Room messages read from one sender and not yet acknowledged; when the last receipt to them went.</summary>
    private sealed class PendingReceipts
    {
        public List<ulong> Ids { get; set; } = [];

        public long Due { get; set; }

        public long LastSent { get; set; } = long.MinValue / 2;
    }

    private const int MaxDropsPerEnvelope = 3;
    private readonly Outbox _outbox = new();
    private readonly Pacer<WireMessage> _pacer = new(settings.PacingPerSecond, Math.Max(1, settings.PacingBurst));
    private readonly SendTracker _sending = new();
    private readonly DeliveryTracker _delivery = new();
    private int _frameLimit = settings.MaxFrameSize;
    private int _outstandingCrypto;
    private ulong _nextEnvelopeId = (ulong)Random.Shared.NextInt64(1, long.MaxValue / 2);
    private int _generation;
    private bool _connected;
    private bool _online;

    /// <summary>Nothing at the crypto actor and nothing unacknowledged: Goodbye may go.</summary>
    public bool Settled => _outstandingCrypto == 0 && _outbox.IsEmpty && _receipts.Values.All(p => p.Ids.Count == 0);

    /// <summary>Envelopes waiting for the server.</summary>
    public int Unacknowledged => _outbox.Count;

    /// <summary>How many typed messages did not reach every recipient, and the first reason.</summary>
    public (int Count, string? First) Failures => (_sending.Failed, _sending.FirstFailure);

    private int FragmentBytes => Math.Clamp(settings.FragmentBytes, 64, Math.Max(64, _frameLimit - 4096));

    // ---- the link ----

    /// <summary>A new connection (number <paramref name="generation"/>) is being opened: control messages may go.</summary>
    public void Attach(int generation)
    {
        _generation = generation;
        _connected = true;
    }

    /// <summary>Every room is joined and its roster known: envelopes go, what was never acknowledged first.</summary>
    public void GoOnline(bool resendAll)
    {
        _online = true;
        if (resendAll)
            Resend(_outbox.TakeAllForResend());
    }

    /// <summary>
    /// The connection dropped: nothing more goes until the next one. One envelope that was on its way
    /// over three dropped connections is not sent a fourth time (a server that closes on it would make
    /// the client loop).
    /// </summary>
    public void Detach()
    {
        _connected = false;
        _online = false;
        _pacer.Clear();
        _outbox.Unqueue();
        foreach (var e in _outbox.ConnectionDropped(_generation, MaxDropsPerEnvelope))
        {
            var reason = $"a message to {e.Recipient} in {e.Room} was not delivered: the connection dropped {MaxDropsPerEnvelope} times while it was on its way; not sent again";
            Settle(e.Id, taken: false, reason);
            screen.Show(new ErrorEvent(ErrorCodes.NotDelivered, reason));
        }
    }

    // ---- from the user ----

    public void Say(string room, string text, string? tag)
    {
        if (!roster.IsIn(room))
        {
            NotSent(ErrorCodes.NotInRoom, $"you are not in room {room}; /join {room} first", tag);
            return;
        }
        if (roster.Members(room).Count == 0)
        {
            NotSent(ErrorCodes.NoSuchMember, $"nobody else is in {room}; the message was not sent", tag);
            return;
        }
        if (TooLong(text, tag))
            return;
        var message = _sending.Start(room, null, tag);
        var members = roster.MemberList(room);
        var recipients = members.Select(m => m.Name).ToArray();
        // One envelope for the whole room per fragment, encrypted once with our sender key; ids for the
        // sender key's distribution to each member are set aside in case the crypto actor makes a new key.
        foreach (var part in Split(text))
        {
            _outstandingCrypto++;
            var envelopeId = _nextEnvelopeId++;
            var firstDistributionId = _nextEnvelopeId;
            _nextEnvelopeId += (ulong)members.Count;
            _sending.AddEnvelope(envelopeId, message, recipients);
            _delivery.Expect(envelopeId, recipients, message.Id, message.Tag);
            output.ToCrypto(new CryptoAgent.EncryptRoom(room, members, part, envelopeId, firstDistributionId));
        }
    }

    public void SendDirect(string room, string to, string text, string? tag)
    {
        if (roster.FindPeer(to, room) is not var (dmRoom, member))
        {
            NotSent(ErrorCodes.NoSuchMember, $"{to} is not in any room you are in; message not sent", tag);
            return;
        }
        if (TooLong(text, tag))
            return;
        EncryptFor(dmRoom, member, Split(text), direct: true, _sending.Start(dmRoom, to, tag));
    }

    /// <summary>The sender learns its message was read: an encrypted receipt, direct to them, in the same room.</summary>
    /// <param name="roomMessage">A room message: its receipt waits a moment for others to the same sender (<see cref="FlushReceipts"/>).</param>
    public void SendReceipt(string room, string to, ulong envelopeId, bool roomMessage = false)
    {
        if (!roomMessage)
        {
            SendReceiptFor(room, to, [envelopeId]);
            return;
        }
        var now = MonotonicClock.Now();
        if (!_receipts.TryGetValue((room, to), out var pending))
            _receipts[(room, to)] = pending = new PendingReceipts();
        if (pending.Ids.Count == 0)
            pending.Due = Math.Max(now + _receiptDelay, pending.LastSent + _burstReceiptInterval);
        pending.Ids.Add(envelopeId);
        if (pending.Ids.Count >= ReceiptBatch)
        {
            SendPending(room, to, pending, now);
            ScheduleReceipts(pending.LastSent + _burstReceiptInterval + 1, now);
        }
        else
        {
            ScheduleReceipts(pending.Due, now);
        }
    }

    /// <summary>One receipt per sender for the room messages read since the last, once it is due.</summary>
    public void FlushReceipts()
    {
        var now = MonotonicClock.Now();
        _receiptTimerDue = long.MaxValue;
        List<(string Room, string To)>? quiet = null;
        foreach (var ((room, to), pending) in _receipts)
        {
            if (pending.Ids.Count > 0 && pending.Due <= now)
                SendPending(room, to, pending, now);
            else if (pending.Ids.Count == 0 && now - pending.LastSent > _burstReceiptInterval)
                (quiet ??= []).Add((room, to)); // quiet again: the next receipt to them goes after receipt-delay
        }
        foreach (var key in quiet ?? [])
            _receipts.Remove(key);
        var due = long.MaxValue;
        foreach (var pending in _receipts.Values)
            due = Math.Min(due, pending.Ids.Count > 0 ? pending.Due : pending.LastSent + _burstReceiptInterval + 1);
        ScheduleReceipts(due, now);
    }

    private void SendPending(string room, string to, PendingReceipts pending, long now)
    {
        var ids = pending.Ids;
        pending.Ids = [];
        pending.LastSent = now;
        SendReceiptFor(room, to, ids);
    }

    // One timer for all senders, at the earliest due (or when the quiet ones can be forgotten).
    private void ScheduleReceipts(long due, long now)
    {
        if (due >= _receiptTimerDue)
            return;
        _receiptTimerDue = due;
        output.Later("receipts", new ReceiptTick(), TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerMillisecond, due - now)));
    }

    private void SendReceiptFor(string room, string to, List<ulong> envelopeIds)
    {
        if (!roster.TryGet(room, to, out var sender))
            return;
        _outstandingCrypto++;
        output.ToCrypto(new CryptoAgent.Encrypt(sender, room, true, "", _nextEnvelopeId++, envelopeIds));
    }

    /// <summary>A receipt came back: who read which message.</summary>
    public List<DeliveredEvent> Delivered(string from, IEnumerable<ulong> envelopeIds) => _delivery.Delivered(from, envelopeIds);

    /// <summary>A control message (a prekey request): paced like envelopes, sent once connected.</summary>
    public void Transmit(WireMessage message)
    {
        _pacer.Enqueue(message);
        Pump();
    }

    // ---- from the crypto actor ----

    public void OnEncrypted(CryptoAgent.Encrypted e)
    {
        if (!e.Distribution)
            _outstandingCrypto--;
        var frameBytes = WireCodec.EncodeFrame(e.Envelope).Length;
        if (frameBytes > _frameLimit)
        {
            var reason = $"an envelope of {frameBytes} bytes is larger than the server accepts ({_frameLimit} bytes); it was not sent (fragment-size too large for max-frame-size?)";
            Settle(e.Envelope.Id, taken: false, reason);
            screen.Show(new ErrorEvent(ErrorCodes.MessageTooLong, reason));
        }
        else
        {
            _outbox.Add(e.Envelope, frameBytes);
            if (_online)
                Transmit(e.Envelope);
            else
                _outbox.Unqueue();
        }
    }

    public void OnEncryptRefused(CryptoAgent.EncryptRefused r)
    {
        if (!r.Distribution)
        {
            Settle(r.EnvelopeId, taken: false, r.Reason);
            _outstandingCrypto--;
        }
        screen.Show(new ErrorEvent(r.Code, r.Reason));
    }

    // ---- from the server ----

    public void OnAck(EnvelopeAck ack)
    {
        if (_outbox.Acknowledge(ack.Id))
            Settle(ack.Id, taken: true);
    }

    public void OnRefused(EnvelopeRefused refused)
    {
        if (refused.Code == ErrorCodes.NoSuchMember)
        {
            _outbox.MarkRefused(refused.Id, MonotonicClock.Now()); // they may be back in a moment: wait for them
            return;
        }
        if (_outbox.Acknowledge(refused.Id))
            Settle(refused.Id, taken: false, $"not delivered: {refused.Message}");
        screen.Show(new ErrorEvent(refused.Code, $"not delivered: {refused.Message}"));
    }

    /// <summary>What waited for <paramref name="member"/> while they were away goes now.</summary>
    public void MemberBack(string member) => Resend(_outbox.TakeFor(member));

    // The server closed the connection over something it could not take. Whatever that was, it is
    // given up now and reported, never sent again: a frame too large drops the largest envelopes sent
    // (the culprit is among them) and lowers the limit below them; a malformed one drops what was sent.
    public void OnFrameRefused(ErrorMessage error)
    {
        List<Envelope> dropped;
        string reason;
        if (error.Code == ErrorCodes.FrameTooLarge)
        {
            (dropped, var size) = _outbox.DropLargestSent();
            if (size > 0)
                _frameLimit = Math.Min(_frameLimit, size - 1);
            reason = $"the server refused an envelope of {size} bytes as too large ({error.Message}); not sent again";
        }
        else
        {
            dropped = _outbox.DropSent();
            reason = $"the server refused what this client sent as malformed ({error.Message}); {dropped.Count} envelope(s) not sent again";
        }
        screen.Show(new ErrorEvent(error.Code, reason));
        foreach (var e in dropped)
            Settle(e.Id, taken: false, reason);
    }

    // ---- timers ----

    // Unanswered envelopes go again; ones refused because the recipient is away wait for them a while,
    // then the user is told they were not delivered.
    public void OnResendTick()
    {
        var now = MonotonicClock.Now();
        foreach (var lost in _outbox.DropRefusedOlderThan(settings.RecipientWait.Ticks, now))
        {
            var reason = $"a message to {lost.Recipient} was not delivered: they did not come back to {lost.Room} within {settings.RecipientWait.TotalSeconds:0} s";
            Settle(lost.Id, taken: false, reason);
            screen.Show(new ErrorEvent(ErrorCodes.NoSuchMember, reason));
        }
        Resend(_outbox.TakeOlderThan(settings.ResendAfter.Ticks, now));
    }

    // Sends what the pacer lets go now; the rest waits for a timer.
    public void Pump()
    {
        if (!_connected)
            return;
        var now = MonotonicClock.Now();
        foreach (var message in _pacer.TakeReady(now))
        {
            if (message is Envelope envelope)
            {
                if (!_outbox.Contains(envelope.Id))
                    continue; // acknowledged or given up meanwhile
                _outbox.MarkSent(envelope.Id, now, _generation);
            }
            output.ToServer(message);
        }
        if (_pacer.Waiting > 0)
            output.Later("pace", new PaceTick(), TimeSpan.FromMilliseconds(Math.Max(5, _pacer.Delay(now).TotalMilliseconds)));
    }

    private void Resend(List<Envelope> envelopes)
    {
        if (envelopes.Count == 0)
            return;
        if (!_online)
        {
            _outbox.Unqueue();
            return;
        }
        log.Info("Sending {Count} unacknowledged envelope(s) again", envelopes.Count);
        foreach (var e in envelopes)
            _pacer.Enqueue(e);
        Pump();
    }

    private void NotSent(string code, string reason, string? tag)
    {
        _sending.NotSent(reason);
        screen.Show(new ErrorEvent(code, reason, tag));
    }

    private bool TooLong(string text, string? tag)
    {
        var bytes = Encoding.UTF8.GetByteCount(text);
        if (bytes <= settings.MaxMessageBytes)
            return false;
        NotSent(ErrorCodes.MessageTooLong,
            $"the message was not sent: it is {Size(bytes)}, and one message may be at most {Size(settings.MaxMessageBytes)} (max-message-size)", tag);
        return true;
    }

    private static string Size(long bytes) => bytes switch
    {
        >= 1024 * 1024 when bytes % (1024 * 1024) == 0 => $"{bytes / (1024 * 1024)} MiB",
        >= 1024 * 1024 => $"{bytes / (1024.0 * 1024):0.##} MiB ({bytes} bytes)",
        >= 1024 => $"{bytes / 1024.0:0.#} KiB ({bytes} bytes)",
        _ => $"{bytes} bytes",
    };

    private List<string> Split(string text) =>
        Fragments.Needed(text, FragmentBytes) ? Fragments.Split(text, (ulong)Random.Shared.NextInt64(), FragmentBytes) : [text];

    // One envelope per fragment; a receipt comes back for the last one only (the message as a whole).
    private void EncryptFor(string room, MemberInfo member, List<string> texts, bool direct, SendTracker.Message message)
    {
        for (var i = 0; i < texts.Count; i++)
        {
            _outstandingCrypto++;
            var envelopeId = _nextEnvelopeId++;
            _sending.AddEnvelope(envelopeId, message, [member.Name]);
            if (i == texts.Count - 1)
                _delivery.Expect(envelopeId, [member.Name], message.Id, message.Tag);
            output.ToCrypto(new CryptoAgent.Encrypt(member, room, direct, texts[i], envelopeId));
        }
    }

    private void Settle(ulong envelopeId, bool taken, string? reason = null)
    {
        if (_sending.Settle(envelopeId, taken, reason) is { } sent)
            screen.Show(sent);
    }
}
