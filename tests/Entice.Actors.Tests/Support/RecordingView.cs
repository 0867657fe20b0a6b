using System.Threading.Channels;
using Entice.Client;
using Entice.Client.View;

namespace Entice.Tests.Support;

/// <summary>A view that records every event, for tests to wait on as a user would watch the screen.</summary>
internal sealed class RecordingView : IChatView
{
    private readonly Channel<ChatEvent> _events = Channel.CreateUnbounded<ChatEvent>();
    private readonly List<ChatEvent> _seen = [];

    public void Show(ChatEvent e) => _events.Writer.TryWrite(e);

    /// <summary>The next event of type <typeparamref name="T"/> matching <paramref name="match"/>; skips others.</summary>
    public async Task<T> NextAsync<T>(Func<T, bool>? match = null, TimeSpan? timeout = null) where T : ChatEvent
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(15));
        try
        {
            while (true)
            {
                var e = await _events.Reader.ReadAsync(cts.Token);
                _seen.Add(e);
                if (e is T t && (match is null || match(t)))
                    return t;
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"no {typeof(T).Name} arrived; saw: {string.Join(", ", _seen)}");
        }
    }

    /// <summary>Events that arrive within <paramref name="window"/>, for asserting that something did not happen.</summary>
    public async Task<List<ChatEvent>> DrainAsync(TimeSpan window)
    {
        var result = new List<ChatEvent>();
        using var cts = new CancellationTokenSource(window);
        try
        {
            while (true)
                result.Add(await _events.Reader.ReadAsync(cts.Token));
        }
        catch (OperationCanceledException)
        {
            return result;
        }
    }
}
