using Akka.Actor;

namespace Entice.Server;

/// <summary>
/// One state: a map of name to owner. Owners are watched, so a dropped connection frees its name
/// without anyone having to remember to release it.
/// </summary>
internal sealed class NameRegistryActor : ReceiveActor
{
    private readonly Dictionary<string, IActorRef> _owners = new(StringComparer.Ordinal);

    public NameRegistryActor()
    {
        Receive<NameRegistry.Claim>(claim =>
        {
            if (_owners.TryGetValue(claim.Name, out var owner) && !owner.Equals(claim.Owner))
            {
                Sender.Tell(new NameRegistry.Refused(claim.Name));
                return;
            }
            _owners[claim.Name] = claim.Owner;
            Context.Watch(claim.Owner);
            Sender.Tell(new NameRegistry.Claimed(claim.Name));
        });

        Receive<Terminated>(t =>
        {
            foreach (var name in _owners.Where(kv => kv.Value.Equals(t.ActorRef)).Select(kv => kv.Key).ToList())
                _owners.Remove(name);
        });
    }
}
