using Akka.Actor;

namespace Entice.Server;

/// <summary>
/// Who holds which name on this server. A name belongs to one live connection at a time; it is freed
/// when that connection's transport actor stops. Kept in an actor, not a static map, so that a later
/// cluster can swap in a distributed registry behind the same messages.
/// </summary>
public static class NameRegistry
{
    public static Props Props() => Akka.Actor.Props.Create(() => new NameRegistryActor());

    /// <summary>Asks for <paramref name="Name"/> on behalf of <paramref name="Owner"/> (a transport actor).</summary>
    public sealed record Claim(string Name, IActorRef Owner);

    public sealed record Claimed(string Name);

    public sealed record Refused(string Name);
}
