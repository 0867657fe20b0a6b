using Entice.Wire;
using Makaretu.Dns;

namespace Entice.Discovery;

/// <summary>
/// Looks for relays on the local network: asks for <c>_entice._tcp.local</c> (again every
/// query-interval) and listens to answers and announcements, for at most <c>timeout</c>; once one relay
/// answered, <c>settle</c> longer for others. Returns what was found, de-duplicated and capped. Runs
/// before any actor starts (the client's start-up) or from <c>--list-servers</c>; the link's sockets are
/// opened on a pool thread.
/// </summary>
public static class ServerDiscovery
{
    public static async Task<IReadOnlyList<DiscoveredServer>> BrowseAsync(ClientDiscoverySettings settings, Func<IMdnsLink>? link = null, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var found = new DiscoveredServers(settings.MaxServers);
        using var mdns = (link ?? (() => new MdnsLink(null)))();
        mdns.AnswerReceived += (message, from) => found.Add(AnswerReader.Read(message, from, ProtocolVersion.Current));
        var query = new Message { QR = false };
        query.Questions.Add(new Question { Name = ServiceNames.ServiceType, Type = DnsType.PTR, Class = DnsClass.IN });

        using var overall = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        overall.CancelAfter(settings.Timeout);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            await Task.Run(mdns.Start, overall.Token).ConfigureAwait(false);
            var settling = false;
            while (!overall.IsCancellationRequested)
            {
                await Task.Run(() => mdns.Send(query), overall.Token).ConfigureAwait(false);
                var tick = Task.Delay(settings.QueryInterval, overall.Token);
                if (!settling && await Task.WhenAny(found.First, tick).ConfigureAwait(false) == found.First)
                {
                    settling = true;
                    // Never past the timeout: the settle time only shortens the wait.
                    var left = settings.Timeout - clock.Elapsed;
                    overall.CancelAfter(left < settings.Settle ? (left > TimeSpan.Zero ? left : TimeSpan.Zero) : settings.Settle);
                }
                await tick.ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
        {
            // The time is up: what was found is the answer.
        }
        return found.Snapshot();
    }
}
