using Akka.Actor;
using Akka.Event;
using Entice.Server.Cluster;
using Entice.Transport;
using Entice.Wire;

namespace Entice.Server.Rooms;

/// <summary>
/// Envelopes kept for away members: the save before the sender's ack, the store's answers, lookups of
/// members only the store knows, drains that wait for the saves, and handing stored envelopes over.
/// </summary>
internal sealed partial class RoomActor
{
    // The recipient is away: the envelope is committed to disk before the sender hears it was taken.
    private void Keep(RoomStoreCalls store, Envelope envelope, IActorRef transport, string hex) =>
        store.Save(envelope, answer =>
        {
            if (answer is not { Kept: true })
            {
                var refusal = answer is { SenderFull: true }
                    ? new EnvelopeRefused(envelope.Id, ErrorCodes.SenderFull,
                        $"you have {_settings.MaxStoredPerSender} messages waiting for members who are away, the most this server keeps; not kept")
                    : new EnvelopeRefused(envelope.Id, ErrorCodes.RecipientFull, $"{envelope.Recipient} is away and has too many messages waiting; not kept");
                transport.Tell(new ClientTransport.Send(WireCodec.EncodeFrame(refusal)));
                return;
            }
            Acknowledge(transport, envelope);
            _log.Info("Kept envelope {EnvelopeId} from {Sender} for {Recipient} (away) in {Room}: {Size} B {CiphertextPrefix}…",
                [envelope.Id, envelope.Sender, envelope.Recipient, _name, envelope.Ciphertext.Length, hex]);
        });

    // Members are away: a room-wide envelope goes once to the room's log (each away member is handed it
    // on return), committed before the sender hears it was taken. Refused only by the sender's quota:
    // those present have it; those away will not.
    private void KeepForRoom(RoomStoreCalls store, Envelope envelope, IActorRef transport, string hex) =>
        store.Save(envelope, answer =>
        {
            if (answer is not { Kept: true })
            {
                transport.Tell(new ClientTransport.Send(WireCodec.EncodeFrame(new EnvelopeRefused(envelope.Id, ErrorCodes.SenderFull,
                    $"not kept for the members of {_name} who are away: you have as many messages waiting for them as this server keeps"))));
                return;
            }
            Acknowledge(transport, envelope);
            _log.Info("Kept envelope {EnvelopeId} from {Sender} for those away from room {Room}: {Size} B {CiphertextPrefix}…",
                [envelope.Id, envelope.Sender, _name, envelope.Ciphertext.Length, hex]);
        });

    // Stored for someone not reachable through a connection right now; wherever they have just arrived
    // (here, or a node that told us nothing yet) fetches it.
    private void OnSaved(RoomStoreCalls.Saved saved)
    {
        if (saved.Answer is { Kept: true } && saved.Envelope.Recipient.Length > 0)
        {
            _span.TellPeers(new RoomSpan.Stored(_name, saved.Envelope.Recipient));
            HandOverStored(saved.Envelope.Recipient);
        }
        saved.Then(saved.Answer);
        StoreAnswered();
    }

    // Someone this room does not know may still be a member: one who joined on another node and went
    // away before this room heard of them. The shared store knew (or not).
    private void OnLooked(RoomStoreCalls.Looked looked)
    {
        var name = looked.Envelope.Recipient;
        if (looked.Member is null)
            RefuseUnknown(looked.SenderTransport, looked.Envelope);
        else
        {
            // Routed again: meanwhile the recipient may have arrived here or on a peer.
            if (!_members.IsHere(name) && !_span.IsPresent(name))
                _members.GoAway(looked.Member);
            OnRoute(looked.Envelope);
        }
        StoreAnswered();
    }

    private void StoreAnswered()
    {
        if (_store!.Answered())
            WatchIdleness();
    }

    private void AnswerWhenSaved(IActorRef replyTo)
    {
        if (_store is null)
            replyTo.Tell(new Room.Drained(_name));
        else
            _store.AnswerWhenSaved(replyTo);
    }

    /// <summary>Hands a local member what waits for them in the store and was not handed over yet.</summary>
    public void HandOverStored(string name)
    {
        if (_store is not null && _members.IsHere(name))
            _store.AskPending(name);
    }
}
