namespace Entice.Discovery;

/// <summary>
/// The relays found so far, in the order heard, de-duplicated by address and port and by key
/// fingerprint (a relay announcing on two interfaces is heard at two addresses: it is listed once, at the
/// address heard first), at most <c>max</c> of them (a hostile LAN may announce thousands: the rest are
/// ignored). A machine that copies a relay's fingerprint can at worst hide it from the list (a client
/// that picks the copy requires that key and the copy has not got it); it cannot be connected to in its
/// place. Thread-safe.
/// </summary>
public sealed class DiscoveredServers
{
    private readonly int _max;
    private readonly Lock _gate = new();
    private readonly List<DiscoveredServer> _servers = [];
    private readonly HashSet<(System.Net.IPAddress, int)> _seen = [];
    private readonly HashSet<Entice.Channels.ServerFingerprint> _keys = [];
    private readonly TaskCompletionSource _first = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public DiscoveredServers(int max) => _max = Math.Max(1, max);

    /// <summary>Completes when the first relay is found.</summary>
    public Task First => _first.Task;

    /// <summary>How many were ignored because the list was full.</summary>
    public int Dropped { get; private set; }

    /// <summary>Adds those not known yet; false when none was new.</summary>
    public bool Add(IEnumerable<DiscoveredServer> servers)
    {
        ArgumentNullException.ThrowIfNull(servers);
        var added = false;
        lock (_gate)
        {
            foreach (var s in servers)
            {
                if (_seen.Contains((s.Address, s.Port)) || (s.Fingerprint is { } fp && _keys.Contains(fp)))
                    continue;
                if (_servers.Count >= _max)
                {
                    Dropped++;
                    continue;
                }
                _seen.Add((s.Address, s.Port));
                if (s.Fingerprint is { } key)
                    _keys.Add(key);
                _servers.Add(s);
                added = true;
            }
        }
        if (added)
            _first.TrySetResult();
        return added;
    }

    public IReadOnlyList<DiscoveredServer> Snapshot()
    {
        lock (_gate)
            return [.. _servers];
    }
}
