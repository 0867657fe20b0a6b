using System.Net;
using Entice.Transport;
using Makaretu.Dns;

namespace Entice.Discovery;

/// <summary>
/// Answers queries about the relay with its <see cref="Announcement"/>. Thread-safe (queries arrive on
/// the link's threads). A query flood gets at most <c>answers-per-second</c> answers a second (token
/// bucket): a hostile LAN cannot make the relay flood the link for it.
/// </summary>
public sealed class DiscoveryResponder
{
    private readonly Announcement _announcement;
    private readonly Action<Message> _send;
    private readonly Func<long> _clock;
    private readonly TokenBucket _bucket;
    private readonly Lock _gate = new();

    public DiscoveryResponder(Announcement announcement, Action<Message> send, double answersPerSecond, Func<long>? clock = null)
    {
        _announcement = announcement;
        _send = send;
        _clock = clock ?? (() => Environment.TickCount64 * TimeSpan.TicksPerMillisecond);
        _bucket = new TokenBucket(Math.Max(answersPerSecond, 0.1), Math.Max(1, (int)Math.Ceiling(answersPerSecond)), _clock());
    }

    /// <summary>Answers <paramref name="query"/> when it asks about this relay and the rate allows; true when answered.</summary>
    public bool OnQuery(Message query, IPEndPoint from)
    {
        if (query is null || !query.IsQuery || !_announcement.Answers(query))
            return false;
        lock (_gate)
        {
            if (!_bucket.TryTake(_clock()))
                return false;
        }
        _send(_announcement.Response());
        return true;
    }
}
