using Akka.Actor;
using Akka.Event;
using Entice.Wire;
using Entice.Server.Store;

namespace Entice.Server.Names;

/// <summary>
/// One state: a map of name to owner and the identity that proved it. Owners are watched, so a dropped
/// connection frees its name without anyone having to remember to release it. The same identity
/// claiming its name again (a phone that changed Wi-Fi before the old connection timed out) replaces
/// the stale connection instead of being locked out.
/// </summary>
internal sealed class NameRegistryActor : ReceiveActor
{
    private sealed record Holder(IActorRef Owner, byte[] Identity);

    private readonly Dictionary<string, Holder> _holders = new(StringComparer.Ordinal);
    private readonly ILoggingAdapter _log = Context.GetLogger();

    public NameRegistryActor(NameRegistry.SharedClaims? shared, NameRegistry.Owners? owners)
    {
        Receive<NameRegistry.Claim>(claim =>
        {
            // Ownership first: an identity that does not own the name never learns whether it is online.
            if (owners is not null && Ownership(owners, claim) is { } refused)
            {
                _log.Warning("Refused the name {Name} to another identity: {Code}", claim.Name, refused.Code);
                Sender.Tell(refused);
                return;
            }
            if (_holders.TryGetValue(claim.Name, out var holder) && !holder.Owner.Equals(claim.Owner))
            {
                if (!holder.Identity.AsSpan().SequenceEqual(claim.Identity))
                {
                    Sender.Tell(Taken(claim.Name));
                    return;
                }
                Replace(claim.Name, holder);
            }
            if (shared is not null && !ClaimShared(shared, claim))
            {
                Sender.Tell(Taken(claim.Name));
                return;
            }
            _holders[claim.Name] = new Holder(claim.Owner, claim.Identity);
            Context.Watch(claim.Owner);
            Sender.Tell(new NameRegistry.Claimed(claim.Name));
        });

        Receive<NameRegistry.Evict>(evict =>
        {
            if (_holders.TryGetValue(evict.Name, out var holder) && holder.Identity.AsSpan().SequenceEqual(evict.Identity))
                Replace(evict.Name, holder);
        });

        Receive<Terminated>(t =>
        {
            foreach (var name in _holders.Where(kv => kv.Value.Owner.Equals(t.ActorRef)).Select(kv => kv.Key).ToList())
            {
                _holders.Remove(name);
                shared?.Store.ReleaseName(name, shared.Node);
            }
        });
    }

    private static NameRegistry.Refused Taken(string name) =>
        new(name, ErrorCodes.NameTaken, $"the name {name} is already in use on this server");

    private static NameRegistry.Refused? Ownership(NameRegistry.Owners owners, NameRegistry.Claim claim)
    {
        var result = owners.Store.OwnName(claim.Name, NameProfile.Skeleton(claim.Name), claim.Identity, owners.UnusedFor);
        return result.Result switch
        {
            NameOwnershipResult.OwnedByOther => new NameRegistry.Refused(claim.Name, ErrorCodes.NameOwned,
                $"the name {claim.Name} belongs to another identity (another key directory); choose another name, or ask the server's operator to release it"),
            NameOwnershipResult.Confusable => new NameRegistry.Refused(claim.Name, ErrorCodes.NameConfusable,
                $"the name {claim.Name} looks like {result.Other}, which belongs to someone else; choose a name people can tell apart"),
            _ => null,
        };
    }

    private void Replace(string name, Holder stale)
    {
        _log.Info("{Name} connected again; closing the older connection", name);
        Context.Unwatch(stale.Owner);
        _holders.Remove(name);
        stale.Owner.Tell(new NameRegistry.Replaced(name));
    }

    // The cluster-wide claim. If the same identity still holds the name through another node, that
    // node is told to close its stale connection.
    private bool ClaimShared(NameRegistry.SharedClaims shared, NameRegistry.Claim claim)
    {
        var result = shared.Store.ClaimName(claim.Name, claim.Identity, shared.Node);
        if (result.Granted && result.PreviousNode is { } previous && previous != shared.Node)
            Context.ActorSelection($"{previous}/user/{RelayServer.ActorName}/names").Tell(new NameRegistry.Evict(claim.Name, claim.Identity));
        return result.Granted;
    }
}
