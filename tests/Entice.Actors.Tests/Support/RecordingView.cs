using System.Threading.Channels;
using Entice.Client;
using Entice.ClientNode.Ui.Views;

namespace Entice.Tests.Support;

/// <summary>
/// A view that records every event, for tests to wait on as a user would watch the screen. Waiting for
/// one kind of event leaves the others for later waits, in their order.
/// </summary>
internal sealed class RecordingView : IChatView
{
    private readonly Channel<ChatEvent> _events = Channel.CreateUnbounded<ChatEvent>();
    private readonly List<ChatEvent> _unclaimed = [];
    private readonly List<ChatEvent> _seen = [];

    public void Show(ChatEvent e) => _events.Writer.TryWrite(e);

    /// <summary>Everything that arrived so far, for failure messages.</summary>
    public string Seen => string.Join(", ", _seen);

    /// <summary>The first unclaimed event of type <typeparamref name="T"/> matching <paramref name="match"/>.</summary>
    public async Task<T> NextAsync<T>(Func<T, bool>? match = null, TimeSpan? timeout = null) where T : ChatEvent
    {
        bool Matches(ChatEvent e) => e is T t && (match is null || match(t));

        var waiting = _unclaimed.FindIndex(Matches);
        if (waiting >= 0)
        {
            var found = (T)_unclaimed[waiting];
            _unclaimed.RemoveAt(waiting);
            return found;
        }
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(15));
        try
        {
            while (true)
            {
                var e = await _events.Reader.ReadAsync(cts.Token);
                _seen.Add(e);
                if (Matches(e))
                    return (T)e;
                _unclaimed.Add(e);
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"no {typeof(T).Name} arrived; saw: {Seen}");
        }
    }

    /// <summary>The texts of the next <paramref name="count"/> messages, in arrival order; fails the test saying what came instead.</summary>
    public async Task<List<string>> TextsAsync(int count, TimeSpan? timeout = null)
    {
        var texts = new List<string>();
        try
        {
            while (texts.Count < count)
                texts.Add((await NextAsync<MessageEvent>(timeout: timeout ?? TimeSpan.FromSeconds(20))).Text);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"got [{string.Join(", ", texts)}] of {count} messages; saw: {Seen}");
        }
        return texts;
    }

    /// <summary>
    /// The unclaimed events plus those that arrive within <paramref name="window"/>, for asserting that
    /// something did not happen.
    /// </summary>
    public async Task<List<ChatEvent>> DrainAsync(TimeSpan window)
    {
        var result = new List<ChatEvent>(_unclaimed);
        _unclaimed.Clear();
        using var cts = new CancellationTokenSource(window);
        try
        {
            while (true)
            {
                var e = await _events.Reader.ReadAsync(cts.Token);
                _seen.Add(e);
                result.Add(e);
            }
        }
        catch (OperationCanceledException)
        {
            return result;
        }
    }
}
