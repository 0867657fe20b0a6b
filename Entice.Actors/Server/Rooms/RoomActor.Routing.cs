using Akka.Actor;
using Akka.Event;
using Entice.Server.Cluster;
using Entice.Transport;
using Entice.Wire;

namespace Entice.Server.Rooms;

/// <summary>Where an envelope goes: to everyone here and on peer nodes, to one member here, to a peer node, or to the store.</summary>
internal sealed partial class RoomActor
{
    private void OnRoute(Envelope envelope)
    {
        if (!_members.TryGet(envelope.Sender, out var from))
            return; // The sender left between sending and routing; nothing to do.

        // A line per relayed envelope is Debug (issue 17: at Information it cost a light-loaded relay a third
        // of its CPU, tests/perf/README.md "Light load"); kept envelopes stay at Information.
        var hex = _log.IsDebugEnabled || (_log.IsInfoEnabled && _store is not null)
            ? Convert.ToHexStringLower(envelope.Ciphertext.AsSpan(0, Math.Min(_settings.LogHexPrefix, envelope.Ciphertext.Length)))
            : "";
        if (envelope.Recipient.Length == 0)
        {
            var count = _members.DeliverLocally(envelope);
            // To every peer room, with members or not: a member joining there right now is present by
            // the time it arrives; no answer is awaited (the peer keeps nothing: the log is shared).
            _span.TellPeers(new RoomSpan.Deliver(envelope, Ticket: 0));
            // Once in the room's log for those away (one row, whatever their number), then acknowledged.
            if (_store is not null && _members.AwayCount > 0)
                KeepForRoom(_store, envelope, from.Transport, hex);
            else
                Acknowledge(from.Transport, envelope);
            if (_log.IsDebugEnabled)
                _log.Debug("Relayed envelope {EnvelopeId} from {Sender} to room {Room} ({Recipients} members): {Size} B {CiphertextPrefix}…",
                    [envelope.Id, envelope.Sender, _name, count + _span.Count(except: envelope.Sender), envelope.Ciphertext.Length, hex]);
            return;
        }

        if (_members.TryGet(envelope.Recipient, out var to))
            to.Transport.Tell(new ClientTransport.Send(WireCodec.EncodeFrame(envelope)));
        else if (_span.Where(envelope.Recipient) is { } peer)
        {
            _span.HandToPeer(peer, envelope, from.Transport);
            _log.Debug("Relayed envelope {EnvelopeId} from {Sender} to {Recipient} in {Room} through {Node}: {Size} B {CiphertextPrefix}…",
                [envelope.Id, envelope.Sender, envelope.Recipient, _name, peer.Path.Address, envelope.Ciphertext.Length, hex]);
            return;
        }
        else
        {
            if (_store is not null && _members.IsAway(envelope.Recipient))
                Keep(_store, envelope, from.Transport, hex);
            else if (_store is not null && _settings.Cluster.Enabled)
                _store.LookUp(envelope, from.Transport);
            else
                RefuseUnknown(from.Transport, envelope);
            return;
        }
        Acknowledge(from.Transport, envelope);
        _log.Debug("Relayed envelope {EnvelopeId} from {Sender} to {Recipient} in {Room}{Kind}: {Size} B {CiphertextPrefix}…",
            [envelope.Id, envelope.Sender, envelope.Recipient, _name, envelope.Direct ? " (direct)" : "", envelope.Ciphertext.Length, hex]);
    }

    public void Acknowledge(IActorRef senderTransport, Envelope envelope) =>
        senderTransport.Tell(new ClientTransport.Send(WireCodec.EncodeFrame(new EnvelopeAck(envelope.Id))));

    private void RefuseUnknown(IActorRef senderTransport, Envelope envelope) =>
        senderTransport.Tell(new ClientTransport.Send(WireCodec.EncodeFrame(new EnvelopeRefused(envelope.Id, ErrorCodes.NoSuchMember,
            $"{envelope.Recipient} is not in room {_name}"))));
}
