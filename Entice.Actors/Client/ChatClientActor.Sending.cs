using System.Text;
using Akka.Actor;
using Akka.Event;
using Entice.Wire;

namespace Entice.Client;

/// <summary>
/// From a typed line to envelopes on the wire. A text longer than a fragment goes as several encrypted
/// fragments (<see cref="Fragments"/>), beyond <c>max-message-size</c> not at all (one error). Every
/// envelope stays in the <see cref="Outbox"/> until the server acknowledges it and leaves through the
/// <see cref="Pacer{T}"/>, under the server's rate limit. An envelope larger than the server accepts is
/// never sent again once the server said so: a client that resent it after every reconnect would loop.
/// </summary>
internal sealed partial class ChatClientActor
{
    private sealed record PaceTick;

    private readonly Outbox _outbox = new();
    private readonly Pacer<WireMessage> _pacer;
    private readonly SendTracker _sending = new();
    private readonly DeliveryTracker _delivery = new();
    private const int MaxDropsPerEnvelope = 3;
    private int _frameLimit;
    private int _outstandingCrypto;
    private ulong _nextEnvelopeId = (ulong)Random.Shared.NextInt64(1, long.MaxValue / 2);

    private int FragmentBytes => Math.Clamp(_settings.FragmentBytes, 64, Math.Max(64, _frameLimit - 4096));

    private void Say(string room, string text, string? tag)
    {
        if (!_roster.IsIn(room))
        {
            NotSent(ErrorCodes.NotInRoom, $"you are not in room {room}; /join {room} first");
            return;
        }
        if (_roster.Members(room).Count == 0)
        {
            NotSent(ErrorCodes.NoSuchMember, $"nobody else is in {room}; the message was not sent");
            return;
        }
        if (TooLong(text))
            return;
        var message = _sending.Start(room, null, tag);
        var texts = Split(text);
        foreach (var member in _roster.Members(room))
            EncryptFor(room, member, texts, direct: false, message);
    }

    private void SendDirect(string room, UserCommand.Direct dm, string? tag)
    {
        if (_roster.FindPeer(dm.To, room) is not var (dmRoom, member))
        {
            NotSent(ErrorCodes.NoSuchMember, $"{dm.To} is not in any room you are in; message not sent");
            return;
        }
        if (TooLong(dm.Text))
            return;
        EncryptFor(dmRoom, member, Split(dm.Text), direct: true, _sending.Start(dmRoom, dm.To, tag));
    }

    private void NotSent(string code, string reason)
    {
        _sending.NotSent(reason);
        Show(new ErrorEvent(code, reason));
    }

    private bool TooLong(string text)
    {
        var bytes = Encoding.UTF8.GetByteCount(text);
        if (bytes <= _settings.MaxMessageBytes)
            return false;
        NotSent(ErrorCodes.MessageTooLong,
            $"the message was not sent: it is {Size(bytes)}, and one message may be at most {Size(_settings.MaxMessageBytes)} (max-message-size)");
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
            _sending.AddEnvelope(envelopeId, message, member.Name);
            if (i == texts.Count - 1)
                _delivery.Expect(envelopeId, member.Name, message.Id, message.Tag);
            _crypto.Tell(new CryptoAgent.Encrypt(member, room, direct, texts[i], envelopeId));
        }
    }

    // The sender learns its message was read: an encrypted receipt, direct to them, in the same room.
    private void SendReceipt(string room, string to, ulong envelopeId)
    {
        if (!_roster.TryGet(room, to, out var sender))
            return;
        _outstandingCrypto++;
        _crypto.Tell(new CryptoAgent.Encrypt(sender, room, true, "", _nextEnvelopeId++, [envelopeId]));
    }

    private void OnEncrypted(CryptoAgent.Encrypted e)
    {
        var frameBytes = WireCodec.EncodeFrame(e.Envelope).Length;
        if (frameBytes > _frameLimit)
        {
            var reason = $"an envelope of {frameBytes} bytes is larger than the server accepts ({_frameLimit} bytes); it was not sent (fragment-size too large for max-frame-size?)";
            EnvelopeSettled(e.Envelope.Id, taken: false, reason);
            Show(new ErrorEvent(ErrorCodes.MessageTooLong, reason));
        }
        else
        {
            _outbox.Add(e.Envelope, frameBytes);
            if (_online)
                Transmit(e.Envelope);
            else
                _outbox.Unqueue();
        }
        CryptoAnswered();
    }

    // The server closed the connection over something it could not take. Whatever that was, it is
    // given up now and reported, never sent again: a frame too large drops the largest envelopes sent
    // (the culprit is among them) and lowers the limit below them; a malformed one drops what was sent.
    private void OnFrameRefused(ErrorMessage error)
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
        Show(new ErrorEvent(error.Code, reason));
        foreach (var e in dropped)
            EnvelopeSettled(e.Id, taken: false, reason);
        MaybeSayGoodbye();
    }

    // The connection dropped with envelopes on their way: one that was on its way over three dropped
    // connections is not sent a fourth time (a server that closes on it would make the client loop).
    private void GiveUpPoison()
    {
        foreach (var e in _outbox.ConnectionDropped(_generation, MaxDropsPerEnvelope))
        {
            var reason = $"a message to {e.Recipient} in {e.Room} was not delivered: the connection dropped {MaxDropsPerEnvelope} times while it was on its way; not sent again";
            EnvelopeSettled(e.Id, taken: false, reason);
            Show(new ErrorEvent(ErrorCodes.NotDelivered, reason));
        }
    }

    private void Transmit(WireMessage message)
    {
        _pacer.Enqueue(message);
        Pump();
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
        _log.Info("Sending {Count} unacknowledged envelope(s) again", envelopes.Count);
        foreach (var e in envelopes)
            _pacer.Enqueue(e);
        Pump();
    }

    // Sends what the pacer lets go now; the rest waits for a timer.
    private void Pump()
    {
        if (!_online && _connection.Equals(ActorRefs.Nobody))
            return;
        var now = Now();
        foreach (var message in _pacer.TakeReady(now))
        {
            if (message is Envelope envelope)
            {
                if (!_outbox.Contains(envelope.Id))
                    continue; // acknowledged or given up meanwhile
                _outbox.MarkSent(envelope.Id, now, _generation);
            }
            _connection.Tell(new ServerConnection.Send(message));
        }
        if (_pacer.Waiting > 0)
            Timers.StartSingleTimer("pace", new PaceTick(), TimeSpan.FromMilliseconds(Math.Max(5, _pacer.Delay(now).TotalMilliseconds)));
    }

    // Unanswered envelopes go again; ones refused because the recipient is away wait for them a while,
    // then the user is told they were not delivered.
    private void OnResendTick()
    {
        var now = Now();
        foreach (var lost in _outbox.DropRefusedOlderThan(_settings.RecipientWait.Ticks, now))
        {
            var reason = $"a message to {lost.Recipient} was not delivered: they did not come back to {lost.Room} within {_settings.RecipientWait.TotalSeconds:0} s";
            EnvelopeSettled(lost.Id, taken: false, reason);
            Show(new ErrorEvent(ErrorCodes.NoSuchMember, reason));
        }
        Resend(_outbox.TakeOlderThan(_settings.ResendAfter.Ticks, now));
        MaybeSayGoodbye();
    }

    private void EnvelopeSettled(ulong envelopeId, bool taken, string? reason = null)
    {
        if (_sending.Settle(envelopeId, taken, reason) is { } sent)
            Show(sent);
    }

    private void CryptoAnswered()
    {
        _outstandingCrypto--;
        MaybeSayGoodbye();
    }

    // Goodbye goes once every envelope is acknowledged; the server answers only after the rooms routed
    // everything before it, so GoodbyeAck means "your messages are on their way".
    private void MaybeSayGoodbye()
    {
        if (!_inputEnded || !_online || !_rosterReady || _goodbyeSent || _outstandingCrypto > 0 || !_outbox.IsEmpty || _waitingForRoom.Count > 0)
            return;
        _goodbyeSent = true;
        // --once: leave for good before the goodbye (the server handles a connection's frames in order).
        foreach (var room in _settings.LeaveOnExit ? _roster.Rooms.ToList() : [])
            _connection.Tell(new ServerConnection.Send(new LeaveRoom(room)));
        _connection.Tell(new ServerConnection.Send(new Goodbye()));
    }
}
