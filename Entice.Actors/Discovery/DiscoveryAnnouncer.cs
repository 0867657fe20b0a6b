using Akka.Actor;

namespace Entice.Discovery;

/// <summary>
/// The relay's announcer: owns a multicast DNS link on the interfaces the listener serves, answers
/// queries for <c>_entice._tcp</c> and announces the relay unasked when it starts (twice, a second
/// apart, RFC 6762 section 8.3) and withdraws it (TTL 0) when it stops. A link that cannot start is
/// logged and the announcer stops: the relay itself is not affected.
/// </summary>
public static class DiscoveryAnnouncer
{
    public const string ActorName = "discovery";

    /// <summary>
    /// <paramref name="link"/> makes the link for the chosen interfaces (default <see cref="MdnsLink"/>);
    /// it is created and started on a thread-pool thread, never on the actor's.
    /// </summary>
    public static Props Props(Announcement announcement, IReadOnlyList<string> interfaces, double answersPerSecond, Func<IReadOnlyList<string>, IMdnsLink>? link = null) =>
        Akka.Actor.Props.Create(() => new DiscoveryAnnouncerActor(announcement, interfaces, answersPerSecond, link ?? (names => new MdnsLink(names))));

    /// <summary>Asks whether the link is up; answered with <see cref="Status"/>.</summary>
    public sealed record GetStatus;

    public sealed record Status(bool Announcing, int AnnouncementsSent);
}
