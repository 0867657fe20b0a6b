using System.Collections.Concurrent;
using Entice.ClientNode.Ui.JsonRpc;

namespace Entice.ClientNode.Ui.Web;

/// <summary>
/// The web host's side of the JSON-RPC session: its open WebSockets. Several tabs may be open at once
/// (up to <see cref="WebSettings.MaxConnections"/>); they share the one session: every tab gets every
/// notification, an answer goes only to the tab that asked (ids are per tab).
/// </summary>
public sealed class WebConnections(WebSettings settings) : IJsonRpcOutput
{
    private readonly ConcurrentDictionary<long, WebConnection> _open = new();
    private long _nextId;
    private volatile bool _completed;

    public int Count => _open.Count;

    public int MaxConnections => settings.MaxConnections;

    /// <summary>How many sockets were cut off for falling behind.</summary>
    public long Overflows => Interlocked.Read(ref _overflows);

    private long _overflows;

    /// <summary>A new connection, or null when the session is over or too many are open.</summary>
    internal WebConnection? Open(System.Net.WebSockets.WebSocket socket)
    {
        if (_completed || _open.Count >= settings.MaxConnections)
            return null;
        var connection = new WebConnection(Interlocked.Increment(ref _nextId), socket, settings);
        _open[connection.Id] = connection;
        if (_completed)
            connection.Complete(); // raced with the end: it closes at once
        return connection;
    }

    internal void Closed(WebConnection connection)
    {
        _open.TryRemove(connection.Id, out _);
        if (connection.Overflowed)
            Interlocked.Increment(ref _overflows);
    }

    public bool IsCompleted => _completed;

    public void Answer(long connection, string line)
    {
        if (_open.TryGetValue(connection, out var c))
            c.Enqueue(line);
    }

    public void Notify(string line)
    {
        foreach (var c in _open.Values)
            c.Enqueue(line);
    }

    /// <summary>
    /// After <see cref="Complete"/>: completes once every open socket has sent what was queued and its close
    /// frame (a page that does not answer the close is not waited for), or after <paramref name="limit"/>.
    /// </summary>
    public Task FlushedAsync(TimeSpan limit) =>
        Task.WhenAny(Task.WhenAll(_open.Values.Select(c => c.Flushed)), Task.Delay(limit));

    public void Complete()
    {
        _completed = true;
        foreach (var c in _open.Values)
            c.Complete();
    }
}
