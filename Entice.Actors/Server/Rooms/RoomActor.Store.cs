using Akka.Actor;
using Entice.Server.Cluster;
using Entice.Server.Store;
using Entice.Wire;
using Entice.Transport;

namespace Entice.Server.Rooms;

/// <summary>
/// The room's side of the <see cref="ServerStore"/>: it never waits for it. What needs no answer
/// (remember, forget, mark away) is told; what does (the members remembered at start, an envelope kept
/// for someone away, what waits for a member) is asked, and the answer comes back as a message. A
/// sender hears its envelope was taken only once the store says it is committed; a drain is answered
/// only once every save the room started before it has been answered.
/// </summary>
internal sealed partial class RoomActor
{
    /// <summary>The store's answer to a save, with what the room does next (run on the room's thread).</summary>
    private sealed record Saved(Envelope Envelope, ServerStore.Enqueued? Answer, Action<ServerStore.Enqueued?> Then);

    /// <summary>The store's answer to whether the room remembers a recipient it does not know.</summary>
    private sealed record Looked(Envelope Envelope, IActorRef SenderTransport, MemberInfo? Member);

    private readonly IActorRef? _store;
    // Saves and lookups asked and not yet answered, and the drains waiting for them.
    private int _storing;
    private readonly List<(IActorRef ReplyTo, Room.Drained Drained)> _drainWaiters = [];

    private void LoadMembers()
    {
        // Everyone the room remembers starts out away; joins (and member actors surviving a restart) move
        // them back in. Those away too long, or beyond the cap, are forgotten first.
        _store!.Ask<ServerStore.MembersLoaded>(new ServerStore.LoadMembers(_name, DateTimeOffset.UtcNow - _settings.AwayTimeToLive, _settings.MaxAwayMembers),
                _settings.StoreAnswerTimeout)
            .PipeTo(Self, failure: _ => new ServerStore.MembersLoaded(_name, []));
    }

    private void OnMembersLoaded(ServerStore.MembersLoaded loaded)
    {
        foreach (var (member, seenAt) in loaded.Members)
        {
            _away[member.Name] = member;
            _awaySince[member.Name] = seenAt;
        }
    }

    /// <summary>Keeps <paramref name="envelope"/> for its recipient, then runs <paramref name="then"/> with the store's answer (null: none).</summary>
    private void Save(Envelope envelope, Action<ServerStore.Enqueued?> then)
    {
        _storing++;
        _store!.Ask<ServerStore.Enqueued>(new ServerStore.Enqueue(_name, envelope), _settings.StoreAnswerTimeout)
            .PipeTo(Self, success: answer => new Saved(envelope, answer, then), failure: _ => new Saved(envelope, null, then));
    }

    // Stored for someone not reachable through a connection right now; wherever they have just arrived
    // (here, or a node that told us nothing yet) fetches it.
    private void OnSaved(Saved saved)
    {
        if (saved.Answer is { Kept: true })
        {
            TellPeers(new RoomSpan.Stored(_name, saved.Envelope.Recipient));
            HandOverStored(saved.Envelope.Recipient);
        }
        saved.Then(saved.Answer);
        StoreAnswered();
    }

    // Someone this room does not know may still be a member: one who joined on another node and went
    // away before this room heard of them. The shared store knows.
    private void LookUp(Envelope envelope, IActorRef senderTransport)
    {
        _storing++;
        _store!.Ask<ServerStore.MemberFound>(new ServerStore.FindMember(_name, envelope.Recipient), _settings.StoreAnswerTimeout)
            .PipeTo(Self, success: found => new Looked(envelope, senderTransport, found.Member), failure: _ => new Looked(envelope, senderTransport, null));
    }

    private void OnLooked(Looked looked)
    {
        var name = looked.Envelope.Recipient;
        if (looked.Member is null)
            RefuseUnknown(looked.SenderTransport, looked.Envelope);
        else
        {
            // Routed again: meanwhile the recipient may have arrived here or on a peer.
            if (!_members.ContainsKey(name) && !_peers.IsPresent(name))
                _away[name] = looked.Member;
            OnRoute(looked.Envelope);
        }
        StoreAnswered();
    }

    private void RefuseUnknown(IActorRef senderTransport, Envelope envelope) =>
        senderTransport.Tell(new ClientTransport.Send(WireCodec.EncodeFrame(new EnvelopeRefused(envelope.Id, ErrorCodes.NoSuchMember,
            $"{envelope.Recipient} is not in room {_name}"))));

    private void StoreAnswered()
    {
        if (--_storing > 0)
            return;
        WatchIdleness();
        foreach (var (replyTo, drained) in _drainWaiters)
            replyTo.Tell(drained);
        _drainWaiters.Clear();
    }

    /// <summary>Answers once every save started so far is answered (at once when none is).</summary>
    private void AnswerWhenSaved(IActorRef replyTo)
    {
        if (_storing == 0)
            replyTo.Tell(new Room.Drained(_name));
        else
            _drainWaiters.Add((replyTo, new Room.Drained(_name)));
    }

    /// <summary>Hands a local member what waits for them in the store and was not handed over yet.</summary>
    private void HandOverStored(string name)
    {
        if (_store is null || !_members.ContainsKey(name))
            return;
        _store.Ask<ServerStore.PendingFound>(new ServerStore.Pending(_name, name), _settings.StoreAnswerTimeout)
            .PipeTo(Self, failure: _ => new ServerStore.PendingFound(name, []));
    }

    private void OnPendingFound(ServerStore.PendingFound found)
    {
        if (!_members.TryGetValue(found.Recipient, out var member))
            return;
        if (!_handed.TryGetValue(found.Recipient, out var handed))
            _handed[found.Recipient] = handed = [];
        foreach (var stored in found.Envelopes)
        {
            if (handed.Add(stored.Seq))
                member.Transport.Tell(new ClientTransport.Send(WireCodec.EncodeFrame(stored)));
        }
    }
}
