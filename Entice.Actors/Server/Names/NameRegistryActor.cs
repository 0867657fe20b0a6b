using Akka.Actor;
using Akka.Event;
using Entice.Wire;
using Entice.Server.Cluster;
using Entice.Server.Store;

namespace Entice.Server.Names;

/// <summary>
/// One state: a map of name to owner and the identity that proved it, and per name the claims waiting
/// for the store. Owners are watched, so a dropped connection frees its name without anyone having to
/// remember to release it. The same identity claiming its name again (a phone that changed Wi-Fi
/// before the old connection timed out) replaces the stale connection instead of being locked out.
/// <code>
///   Claim(name) --(no claim for name pending)--> store: ClaimName --> Decided --> Claimed | Refused
///               --(one pending)----------------> waits behind it (claims for other names do not)
/// </code>
/// </summary>
internal sealed class NameRegistryActor : ReceiveActor
{
    private sealed record Holder(IActorRef Owner, byte[] Identity);

    private sealed record Waiting(NameRegistry.Claim Claim, IActorRef ReplyTo);

    private sealed record Decided(Waiting Waiting, ServerStore.NameDecided? Answer);

    private readonly Dictionary<string, Holder> _holders = new(StringComparer.Ordinal);
    // Claims the store is deciding (the head of each queue) and those for the same name behind them.
    private readonly Dictionary<string, Queue<Waiting>> _pending = new(StringComparer.Ordinal);
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly IActorRef? _store;
    private readonly NameRegistry.SharedClaims? _shared;
    private readonly TimeSpan? _ownedUnusedFor;
    private readonly TimeSpan _answerTimeout;

    public NameRegistryActor(IActorRef? store, NameRegistry.SharedClaims? shared, TimeSpan? ownedUnusedFor, TimeSpan answerTimeout)
    {
        _store = store;
        _shared = shared;
        _ownedUnusedFor = ownedUnusedFor;
        _answerTimeout = answerTimeout;

        Receive<NameRegistry.Claim>(claim =>
        {
            var waiting = new Waiting(claim, Sender);
            if (_store is null)
            {
                Decide(waiting, new ServerStore.NameDecided(claim.Name, null, null));
                return;
            }
            if (_pending.TryGetValue(claim.Name, out var queue))
            {
                queue.Enqueue(waiting);
                return;
            }
            _pending[claim.Name] = new Queue<Waiting>([waiting]);
            AskStore(waiting);
        });

        Receive<Decided>(d =>
        {
            Decide(d.Waiting, d.Answer);
            var queue = _pending[d.Waiting.Claim.Name];
            queue.Dequeue();
            if (queue.Count > 0)
                AskStore(queue.Peek());
            else
                _pending.Remove(d.Waiting.Claim.Name);
        });

        Receive<NameEviction>(evict =>
        {
            if (_holders.TryGetValue(evict.Name, out var holder) && holder.Identity.AsSpan().SequenceEqual(evict.Identity))
                Replace(evict.Name, holder);
        });

        Receive<Terminated>(t =>
        {
            foreach (var name in _holders.Where(kv => kv.Value.Owner.Equals(t.ActorRef)).Select(kv => kv.Key).ToList())
            {
                _holders.Remove(name);
                if (_shared is not null)
                    _store?.Tell(new ServerStore.ReleaseName(name, _shared.Node));
            }
        });
    }

    // Ownership first (an identity that does not own the name never learns whether it is online), then
    // the cluster-wide claim; both in one store call.
    private void AskStore(Waiting waiting)
    {
        var claim = waiting.Claim;
        _store!.Ask<ServerStore.NameDecided>(
                new ServerStore.ClaimName(claim.Name, NameProfile.Skeleton(claim.Name), claim.Identity, _ownedUnusedFor, _shared?.Node), _answerTimeout)
            .PipeTo(Self, success: answer => new Decided(waiting, answer), failure: _ => new Decided(waiting, null));
    }

    private void Decide(Waiting waiting, ServerStore.NameDecided? answer)
    {
        var (claim, replyTo) = waiting;
        if (answer is null)
        {
            _log.Warning("No answer from the store about the name {Name}; refused for now", claim.Name);
            replyTo.Tell(new NameRegistry.Refused(claim.Name, ErrorCodes.Overloaded, "the server cannot check names right now; try again later"));
            return;
        }
        if (answer.Refused is { } refused)
        {
            _log.Warning("Refused the name {Name} to another identity: {Result}", claim.Name, refused.Result);
            replyTo.Tell(refused.Result == NameOwnershipResult.Confusable
                ? new NameRegistry.Refused(claim.Name, ErrorCodes.NameConfusable,
                    $"the name {claim.Name} looks like {refused.Other}, which belongs to someone else; choose a name people can tell apart")
                : new NameRegistry.Refused(claim.Name, ErrorCodes.NameOwned,
                    $"the name {claim.Name} belongs to another identity (another key directory); choose another name, or ask the server's operator to release it"));
            return;
        }
        if (_holders.TryGetValue(claim.Name, out var holder) && !holder.Owner.Equals(claim.Owner))
        {
            if (!holder.Identity.AsSpan().SequenceEqual(claim.Identity))
            {
                replyTo.Tell(Taken(claim.Name));
                return;
            }
            Replace(claim.Name, holder);
        }
        if (answer.Shared is { } shared)
        {
            if (!shared.Granted)
            {
                replyTo.Tell(Taken(claim.Name));
                return;
            }
            // The same identity still holds the name through another node: that node closes its stale connection.
            if (shared.PreviousNode is { } previous && previous != _shared!.Node)
                Context.ActorSelection($"{previous}/user/{RelayServer.ActorName}/names").Tell(new NameEviction(claim.Name, claim.Identity));
        }
        _holders[claim.Name] = new Holder(claim.Owner, claim.Identity);
        Context.Watch(claim.Owner);
        replyTo.Tell(new NameRegistry.Claimed(claim.Name));
    }

    private static NameRegistry.Refused Taken(string name) =>
        new(name, ErrorCodes.NameTaken, $"the name {name} is already in use on this server");

    private void Replace(string name, Holder stale)
    {
        _log.Info("{Name} connected again; closing the older connection", name);
        Context.Unwatch(stale.Owner);
        _holders.Remove(name);
        stale.Owner.Tell(new NameRegistry.Replaced(name));
    }
}
