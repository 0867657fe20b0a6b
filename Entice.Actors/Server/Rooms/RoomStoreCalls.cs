using Akka.Actor;
using Entice.Server.Store;
using Entice.Transport;
using Entice.Wire;

namespace Entice.Server.Rooms;

/// <summary>
/// The room's side of the <see cref="ServerStore"/>, owned by its <see cref="RoomActor"/> (called on
/// the room's thread; it never waits for the store). What needs no answer (remember, forget, mark away)
/// is told; what does (the members remembered at start, an envelope kept for someone away, a lookup,
/// what waits for a member) is asked, and the answer comes back to the room as a message. A sender
/// hears its envelope was taken only once the store says it is committed; a drain is answered only once
/// every save and lookup the room started before it has been answered. Also remembers which stored
/// envelopes were handed to each member, so a second fetch does not repeat them.
/// </summary>
internal sealed class RoomStoreCalls(string room, ServerSettings settings, IActorRef store, IActorRef self)
{
    /// <summary>The store's answer to a save, with what the room does next (run on the room's thread).</summary>
    internal sealed record Saved(Envelope Envelope, ServerStore.Enqueued? Answer, Action<ServerStore.Enqueued?> Then);

    /// <summary>The store's answer to whether the room remembers a recipient it does not know.</summary>
    internal sealed record Looked(Envelope Envelope, IActorRef SenderTransport, MemberInfo? Member);

    // Saves and lookups asked and not yet answered, and the drains waiting for them.
    private int _storing;
    private readonly List<(IActorRef ReplyTo, Room.Drained Drained)> _drainWaiters = [];
    // Stored envelopes already handed to each local member.
    private readonly Dictionary<string, HashSet<ulong>> _handed = new(StringComparer.Ordinal);

    /// <summary>True while a save or lookup is unanswered (the room is not idle).</summary>
    public bool Busy => _storing > 0;

    public void Remember(MemberInfo member) => store.Tell(new ServerStore.RememberMember(room, member));

    public void Forget(string name) => store.Tell(new ServerStore.ForgetMember(room, name));

    public void MarkAway(string name) => store.Tell(new ServerStore.MarkAway(room, name));

    /// <summary>
    /// Asks for everyone the room remembers (they start out away; joins and member actors surviving a
    /// restart move them back in); those away too long, or beyond the cap, are forgotten first.
    /// </summary>
    public void LoadMembers(bool allAway) =>
        store.Ask<ServerStore.MembersLoaded>(new ServerStore.LoadMembers(room, DateTimeOffset.UtcNow - settings.AwayTimeToLive, settings.MaxAwayMembers, allAway),
                settings.StoreAnswerTimeout)
            .PipeTo(self, failure: _ => new ServerStore.MembersLoaded(room, []));

    /// <summary>Keeps <paramref name="envelope"/> for its recipient; the room gets a <see cref="Saved"/> that runs <paramref name="then"/>.</summary>
    public void Save(Envelope envelope, Action<ServerStore.Enqueued?> then)
    {
        _storing++;
        store.Ask<ServerStore.Enqueued>(new ServerStore.Enqueue(room, envelope), settings.StoreAnswerTimeout)
            .PipeTo(self, success: answer => new Saved(envelope, answer, then), failure: _ => new Saved(envelope, null, then));
    }

    /// <summary>Whether the store remembers the recipient as a member; the room gets a <see cref="Looked"/>.</summary>
    public void LookUp(Envelope envelope, IActorRef senderTransport)
    {
        _storing++;
        store.Ask<ServerStore.MemberFound>(new ServerStore.FindMember(room, envelope.Recipient), settings.StoreAnswerTimeout)
            .PipeTo(self, success: found => new Looked(envelope, senderTransport, found.Member), failure: _ => new Looked(envelope, senderTransport, null));
    }

    /// <summary>A save or lookup was answered; true when none is left (the drains waiting are answered).</summary>
    public bool Answered()
    {
        if (--_storing > 0)
            return false;
        foreach (var (replyTo, drained) in _drainWaiters)
            replyTo.Tell(drained);
        _drainWaiters.Clear();
        return true;
    }

    /// <summary>Answers once every save started so far is answered (at once when none is).</summary>
    public void AnswerWhenSaved(IActorRef replyTo)
    {
        if (_storing == 0)
            replyTo.Tell(new Room.Drained(room));
        else
            _drainWaiters.Add((replyTo, new Room.Drained(room)));
    }

    /// <summary>Asks what waits for <paramref name="name"/>; the room gets a <see cref="ServerStore.PendingFound"/>.</summary>
    public void AskPending(string name) =>
        store.Ask<ServerStore.PendingFound>(new ServerStore.Pending(room, name), settings.StoreAnswerTimeout)
            .PipeTo(self, failure: _ => new ServerStore.PendingFound(name, []));

    /// <summary>Hands <paramref name="member"/> what was found for them and not handed over yet.</summary>
    public void HandOver(ServerStore.PendingFound found, RoomMembers.Present member)
    {
        if (!_handed.TryGetValue(found.Recipient, out var handed))
            _handed[found.Recipient] = handed = [];
        foreach (var stored in found.Envelopes)
        {
            if (handed.Add(stored.Seq))
                member.Transport.Tell(new ClientTransport.Send(WireCodec.EncodeFrame(stored)));
        }
    }

    /// <summary>The member is gone or joined anew: what is handed to them next starts afresh.</summary>
    public void ForgetHanded(string name) => _handed.Remove(name);
}
