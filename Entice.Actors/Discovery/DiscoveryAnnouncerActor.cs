using Akka.Actor;
using Akka.Event;

namespace Entice.Discovery;

/// <summary>States: Starting (the link opens on a pool thread) -> Announcing. Sockets are only touched off the actor's thread.</summary>
internal sealed class DiscoveryAnnouncerActor : ReceiveActor, IWithTimers
{
    private sealed record LinkUp(IMdnsLink Link);

    private sealed record LinkFailed(string Reason);

    private sealed record Announce;

    private readonly Announcement _announcement;
    private readonly IReadOnlyList<string> _interfaces;
    private readonly double _answersPerSecond;
    private readonly Func<IReadOnlyList<string>, IMdnsLink> _makeLink;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private IMdnsLink? _link;
    private int _announcements;

    public DiscoveryAnnouncerActor(Announcement announcement, IReadOnlyList<string> interfaces, double answersPerSecond, Func<IReadOnlyList<string>, IMdnsLink> makeLink)
    {
        _announcement = announcement;
        _interfaces = interfaces;
        _answersPerSecond = answersPerSecond;
        _makeLink = makeLink;
        Starting();
    }

    public ITimerScheduler Timers { get; set; } = null!;

    protected override void PreStart()
    {
        var makeLink = _makeLink;
        var interfaces = _interfaces;
        Task.Run(() =>
        {
            var link = makeLink(interfaces);
            try
            {
                link.Start();
                return link;
            }
            catch
            {
                link.Dispose();
                throw;
            }
        }).PipeTo(Self, success: link => new LinkUp(link), failure: ex => new LinkFailed(ex.GetBaseException().Message));
    }

    protected override void PostStop()
    {
        if (_link is not { } link)
            return;
        _link = null;
        var goodbye = _announcement.Response(goodbye: true);
        // Best effort: clients that cached the relay forget it; the sockets close either way.
        _ = Task.Run(() =>
        {
            try
            {
                link.Send(goodbye);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // The link is going away; nothing to tell.
            }
            finally
            {
                link.Dispose();
            }
        });
    }

    private void Starting()
    {
        Receive<LinkUp>(up =>
        {
            _link = up.Link;
            var responder = new DiscoveryResponder(_announcement, up.Link.Send, _answersPerSecond);
            up.Link.QueryReceived += (query, from) => responder.OnQuery(query, from);
            _log.Info("Discovery: announcing {0} on {1} ({2}:{3})", _announcement.InstanceLabel, string.Join(", ", _interfaces),
                string.Join(", ", _announcement.Addresses), _announcement.Port);
            Self.Tell(new Announce());
            Timers.StartSingleTimer("second-announcement", new Announce(), TimeSpan.FromSeconds(1));
            Become(Announcing);
        });
        Receive<LinkFailed>(failed =>
        {
            _log.Warning("Discovery: off, multicast DNS could not start on {0}: {1}", string.Join(", ", _interfaces), failed.Reason);
            Context.Stop(Self);
        });
        Receive<DiscoveryAnnouncer.GetStatus>(_ => Sender.Tell(new DiscoveryAnnouncer.Status(false, 0)));
    }

    private void Announcing()
    {
        Receive<Announce>(tick =>
        {
            _announcements++;
            var link = _link!;
            var message = _announcement.Response();
            var log = _log;
            _ = Task.Run(() =>
            {
                try
                {
                    link.Send(message);
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    log.Warning("Discovery: announcement not sent: {0}", ex.Message);
                }
            });
        });
        Receive<DiscoveryAnnouncer.GetStatus>(_ => Sender.Tell(new DiscoveryAnnouncer.Status(true, _announcements)));
    }
}
