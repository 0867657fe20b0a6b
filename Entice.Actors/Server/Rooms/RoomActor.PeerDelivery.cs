using Akka.Actor;
using Akka.Event;
using Entice.Server.Cluster;
using Entice.Wire;
using Entice.Transport;

namespace Entice.Server.Rooms;

/// <summary>
/// Envelopes between the room's actors on different nodes: a direct envelope handed to the recipient's
/// node is acknowledged to its sender only once that node took it, and stored when no answer comes;
/// what a peer routes here is delivered or stored; and what waits in the store for a member present
/// here is handed over once, however many times a fetch is triggered.
/// </summary>
internal sealed partial class RoomActor
{
    private sealed record InFlightTick;

    // A direct envelope handed to a peer room, waiting for its Taken.
    private sealed record InFlight(Envelope Envelope, IActorRef SenderTransport, IActorRef Peer, DateTime Deadline);

    private readonly Dictionary<long, InFlight> _inFlight = [];
    private long _lastTicket;
    // Stored envelopes already handed to each local member, so a second fetch does not repeat them.
    private readonly Dictionary<string, HashSet<ulong>> _handed = new(StringComparer.Ordinal);

    private void HandToPeer(IActorRef peer, Envelope envelope, IActorRef senderTransport)
    {
        var ticket = ++_lastTicket;
        _inFlight[ticket] = new InFlight(envelope, senderTransport, peer, DateTime.UtcNow + _settings.Cluster.PeerDeliveryTimeout);
        peer.Tell(new RoomSpan.Deliver(envelope, ticket));
    }

    // The recipient's node did not confirm (it may have crashed with the envelope): keep it here, so it
    // waits for the recipient wherever they come back. Should the node have delivered it after all, the
    // recipient's client drops the second copy.
    private void KeepUnanswered(long ticket, InFlight f, string why)
    {
        _inFlight.Remove(ticket);
        if (_store is null)
        {
            RefuseUnreachable(f);
            return;
        }
        Save(f.Envelope, answer =>
        {
            if (answer is not { Kept: true })
            {
                RefuseUnreachable(f);
                return;
            }
            Acknowledge(f.SenderTransport, f.Envelope);
            _log.Info("Kept envelope {EnvelopeId} for {Recipient} in {Room}: {Why}", f.Envelope.Id, f.Envelope.Recipient, _name, why);
        });
    }

    private static void RefuseUnreachable(InFlight f) =>
        f.SenderTransport.Tell(new ClientTransport.Send(WireCodec.EncodeFrame(new EnvelopeRefused(f.Envelope.Id, ErrorCodes.RecipientFull,
            $"{f.Envelope.Recipient} could not be reached and nothing more can be kept for them"))));

    // A peer routed this here: deliver to members connected to this node; one who has just gone gets
    // it stored, so nothing routed is dropped between nodes. Only then is the peer told it was taken.
    private void OnPeerDeliver(RoomSpan.Deliver deliver)
    {
        var envelope = deliver.Envelope;
        if (envelope.Recipient.Length == 0)
        {
            DeliverLocally(envelope);
            return;
        }
        var peer = Sender;
        if (_members.TryGetValue(envelope.Recipient, out var to))
        {
            to.Transport.Tell(new ClientTransport.Send(WireCodec.EncodeFrame(envelope)));
            peer.Tell(new RoomSpan.Taken(_name, deliver.Ticket));
            return;
        }
        if (_store is null)
        {
            NotKept(envelope);
            return;
        }
        Save(envelope, answer =>
        {
            if (answer is { Kept: true })
                peer.Tell(new RoomSpan.Taken(_name, deliver.Ticket));
            else
                NotKept(envelope);
        });
    }

    private void NotKept(Envelope envelope) =>
        _log.Warning("Envelope {EnvelopeId} for {Recipient} in {Room} arrived from another node after they left; not kept",
            envelope.Id, envelope.Recipient, _name);
}
