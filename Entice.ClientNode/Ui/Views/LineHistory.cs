using System.Globalization;
using System.Text.Json;
using Entice.Client;
using Entice.Client.History;
using Entice.Wire;
using Entice.Display;

namespace Entice.ClientNode.Ui.Views;

/// <summary>
/// Kept history for line mode and <c>--json</c> (issue 18): the same <see cref="HistoryStore"/> as the
/// terminal UI (same files, key and retention), written through its <see cref="HistoryWriter"/> (its own
/// thread; nothing here waits for the disk). The view side feeds it: <see cref="Around"/> wraps the view
/// so every <see cref="ChatEvent"/> is seen (<see cref="Observe"/>: messages in; own messages once the
/// server took them, with their id; delivery), and <see cref="Typed"/> tags each typed line so its
/// <see cref="SentEvent"/> names the text. The stdin loop asks <see cref="Answer"/> first: <c>/search</c>
/// and <c>/forget</c> are answered here (off the actor threads) and never reach the chat actor.
/// Without a store (keep = 0, or it could not be opened) nothing is kept and both commands say so.
/// Thread-safe: <see cref="Observe"/> runs on the view actor, the rest on the stdin thread.
/// </summary>
public sealed class LineHistory : IAsyncDisposable
{
    public const int MaxSearchResults = 500;

    // Typed lines whose SentEvent has not come yet, and own messages whose receipts may still come.
    private const int MaxWaiting = 10_000;

    private static readonly JsonSerializerOptions Json = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly HistoryStore? _store;
    private readonly HistoryWriter? _writer;
    private readonly IChatView _view;
    private readonly TextWriter _output;
    private readonly bool _json;
    private readonly object _gate = new();
    private readonly Dictionary<string, (string Text, DateTimeOffset At)> _typed = new(StringComparer.Ordinal);
    private readonly Queue<string> _typedOrder = new();
    private readonly Dictionary<string, string> _sentTo = new(StringComparer.Ordinal);
    private readonly Queue<string> _sentOrder = new();
    private readonly List<string> _rooms = [];
    private string _name = "";
    private long _tags;
    // Received messages kept (conversation, sender, "e:" + envelope id): the newest of each conversation in the
    // store at start, and those kept since (bounded). A message shown before its key state was saved comes again
    // after a crash (a stored envelope not acknowledged, a copy the sender resent): it is then neither kept nor
    // shown a second time.
    private readonly HashSet<(string Conversation, string From, string Id)> _received = [];
    private readonly Queue<(string Conversation, string From, string Id)> _receivedOrder = new();
    private const int ReceivedPerConversationAtStart = 256;

    /// <param name="store">The key directory's store; null keeps nothing.</param>
    /// <param name="view">The line or JSON view (errors are shown through it).</param>
    /// <param name="output">Where search results go (the view's own writer).</param>
    /// <param name="room">The room the client starts in: the current one until the first is entered (lines typed before that).</param>
    public LineHistory(HistoryStore? store, IChatView? view = null, TextWriter? output = null, bool json = false, Action<string>? warn = null, string? room = null)
    {
        if (room is not null)
            _rooms.Add(room);
        _store = store;
        _writer = store is null ? null : new HistoryWriter(store, warn);
        _view = view ?? new Silent();
        _output = output ?? TextWriter.Null;
        _json = json;
        if (store is not null)
            RememberReceived(store);
    }

    private void RememberReceived(HistoryStore store)
    {
        foreach (var (conversation, messages) in store.LoadAll().Conversations)
        {
            foreach (var m in messages.Where(m => m.KeptByEnvelope).TakeLast(ReceivedPerConversationAtStart))
                Received((conversation, m.From, m.Id));
        }
    }

    private static (string Conversation, string From, string Id)? ReceivedKey(ChatEvent e) =>
        e is MessageEvent { EnvelopeId: { } envelope } m && RoomTopic.Of(m) is null
            ? (m.Direct ? KeptMessage.DirectWith(m.From) : KeptMessage.Room(m.Room), PeerText.Visible(m.From), KeptMessage.ReceivedId(envelope))
            : null;

    // True when it was not known yet; the oldest are forgotten past MaxWaiting.
    private bool Received((string Conversation, string From, string Id) key)
    {
        if (!_received.Add(key))
            return false;
        _receivedOrder.Enqueue(key);
        while (_receivedOrder.Count > MaxWaiting)
            _received.Remove(_receivedOrder.Dequeue());
        return true;
    }

    /// <summary>
    /// Whether <paramref name="e"/> is a received message already kept (the same envelope from the same sender in
    /// the same conversation): shown before a crash that came before its key state was saved, delivered again.
    /// </summary>
    public bool AlreadyKept(ChatEvent e)
    {
        if (_writer is null || ReceivedKey(e) is not { } key)
            return false;
        lock (_gate)
            return !Received(key);
    }

    public bool Keeps => _writer is not null;

    /// <summary>The view that shows every event and keeps what should be kept.</summary>
    public IChatView Around(IChatView view) => new KeepingView(this, view);

    /// <summary>The message for the chat actor: a line that sends text gets a tag, to keep it once sent.</summary>
    public ChatClient.UserLine Typed(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var text = _writer is null ? null : UserCommand.Parse(line) switch
        {
            UserCommand.Say say => say.Text,
            UserCommand.Direct direct => direct.Text,
            _ => null,
        };
        if (text is null)
            return new ChatClient.UserLine(line);
        string tag;
        lock (_gate)
            tag = "kept-" + (++_tags).ToString(CultureInfo.InvariantCulture);
        Sending(tag, text);
        return new ChatClient.UserLine(line, Tag: tag);
    }

    /// <summary>A message with <paramref name="text"/> goes to the chat actor with <paramref name="tag"/>: kept once its <see cref="SentEvent"/> comes.</summary>
    public void Sending(string tag, string text)
    {
        ArgumentNullException.ThrowIfNull(tag);
        ArgumentNullException.ThrowIfNull(text);
        if (_writer is null)
            return;
        lock (_gate)
        {
            _typed[tag] = (text, DateTimeOffset.UtcNow);
            _typedOrder.Enqueue(tag);
            while (_typedOrder.Count > MaxWaiting)
                _typed.Remove(_typedOrder.Dequeue());
        }
    }

    /// <summary>
    /// JSON-RPC <c>history</c>: the newest <paramref name="limit"/> kept messages of <paramref name="conversation"/>
    /// (oldest first) older than <paramref name="before"/> (an ISO 8601 time, or the id of a kept message: those
    /// kept before it), read on the thread pool; with <paramref name="after"/> instead, the oldest
    /// <paramref name="limit"/> newer than it (kept after that id, or sent after that time), to catch up.
    /// Problem is set (and Messages empty) when <paramref name="before"/> or <paramref name="after"/> names nothing.
    /// </summary>
    public Task<(IReadOnlyList<KeptMessage> Messages, string? Problem)> QueryAsync(string conversation, int limit, string? before, string? after = null)
    {
        if (after is not null)
            return AfterAsync(conversation, limit, after);
        ArgumentNullException.ThrowIfNull(conversation);
        var store = _store ?? throw new InvalidOperationException("no history is kept");
        var queued = _writer?.FlushAsync() ?? Task.CompletedTask; // what was kept before the request is on disk first
        return queued.ContinueWith<(IReadOnlyList<KeptMessage>, string?)>(_ =>
        {
            DateTimeOffset? until = null;
            if (before is not null)
            {
                if (DateTimeOffset.TryParse(before, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var time))
                    until = time;
                else
                {
                    // By place, not by time: a sender's clock may put a later message before an earlier one.
                    var all = store.Read(conversation);
                    var at = LastIndexOf(all, before);
                    if (at < 0)
                        return ([], "\"before\" is neither a time (ISO 8601) nor the id of a kept message of this conversation");
                    return (all.Take(at).Skip(Math.Max(0, at - limit)).ToList(), null);
                }
            }
            return (store.Query(conversation, limit, until), null);
        }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
    }

    private Task<(IReadOnlyList<KeptMessage> Messages, string? Problem)> AfterAsync(string conversation, int limit, string after)
    {
        var store = _store ?? throw new InvalidOperationException("no history is kept");
        var queued = _writer?.FlushAsync() ?? Task.CompletedTask;
        return queued.ContinueWith<(IReadOnlyList<KeptMessage>, string?)>(_ =>
        {
            var all = store.Read(conversation);
            var at = LastIndexOf(all, after);
            if (at >= 0)
                return (all.Skip(at + 1).Take(limit).ToList(), null);
            if (DateTimeOffset.TryParse(after, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var time))
                return (all.Where(m => m.At > time).Take(limit).ToList(), null);
            return ([], "\"after\" is neither a time (ISO 8601) nor the id of a kept message of this conversation");
        }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
    }

    // The newest kept message with this id (an own message's id may repeat across runs), or -1.
    private static int LastIndexOf(IReadOnlyList<KeptMessage> all, string id)
    {
        for (var i = all.Count - 1; i >= 0; i--)
        {
            if (all[i].Id == id)
                return i;
        }
        return -1;
    }

    /// <summary>JSON-RPC <c>forget</c>: deletes a conversation's kept history; completes once it is deleted.</summary>
    public async Task<bool> ForgetAsync(string conversation)
    {
        ArgumentNullException.ThrowIfNull(conversation);
        var writer = _writer ?? throw new InvalidOperationException("no history is kept");
        writer.Forget(conversation);
        await writer.FlushAsync().ConfigureAwait(false);
        return true;
    }

    /// <summary>
    /// Keeps what <paramref name="e"/> shows (called for every event, in order, by the view actor). A received
    /// message is kept with <paramref name="id"/> when given (JSON-RPC: the id its notification carries), else a new one.
    /// </summary>
    public void Observe(ChatEvent e, string? id = null)
    {
        ArgumentNullException.ThrowIfNull(e);
        lock (_gate)
        {
            switch (e)
            {
                case ReadyEvent r:
                    _name = r.Name;
                    Entered(r.Room);
                    break;
                case RoomEnteredEvent r:
                    Entered(r.Room);
                    break;
                case RoomExitedEvent r:
                    _rooms.Remove(r.Room);
                    break;
                case MessageEvent m when _writer is not null && RoomTopic.Of(m) is null:
                    _writer.Append(new KeptMessage(id ?? ReceivedKey(m)?.Id ?? NewId(), m.Direct ? KeptMessage.DirectWith(m.From) : KeptMessage.Room(m.Room),
                        PeerText.Visible(m.From), PeerText.Visible(m.Text, keepNewlines: true), m.SentAt, Own: false, m.Direct, Delivery.None));
                    break;
                case SentEvent { Tag: { } tag } s when _writer is not null && _typed.Remove(tag, out var typed):
                    var conversation = s.To is null ? KeptMessage.Room(s.Room) : KeptMessage.DirectWith(s.To);
                    _writer.Append(new KeptMessage(s.Id, conversation, _name, typed.Text, typed.At, Own: true, s.To is not null, Delivery.Sent));
                    _sentTo[s.Id] = conversation;
                    _sentOrder.Enqueue(s.Id);
                    while (_sentOrder.Count > MaxWaiting)
                        _sentTo.Remove(_sentOrder.Dequeue());
                    break;
                case DeliveredEvent d when _writer is not null && _sentTo.TryGetValue(d.Id, out var to):
                    _writer.MarkDelivery(to, d.Id, Delivery.Delivered);
                    break;
                case ErrorEvent { Tag: { } failed }:
                    _typed.Remove(failed);
                    break;
                default:
                    break;
            }
        }
    }

    /// <summary>
    /// Answers <c>/search</c> and <c>/forget</c> (true: answered, not for the chat actor). Reads the store
    /// (the caller is the stdin thread, never an actor).
    /// </summary>
    public bool Answer(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var parts = line.Trim().Split(' ', 2, StringSplitOptions.RemoveEmptyEntries);
        var verb = parts.Length == 0 ? "" : parts[0].ToLowerInvariant();
        if (verb is not ("/search" or "/forget"))
            return false;
        var rest = parts.Length > 1 ? parts[1].Trim() : "";
        if (_store is null || _writer is null)
        {
            Error("no_history", $"{verb}: no history is kept (entice.client.history.keep = 0, or the history could not be opened)");
            return true;
        }
        var (conversation, argument) = Target(rest);
        if (conversation is null)
        {
            Error("no_room", $"{verb} works on a conversation; no room is joined yet (or name one: {verb} #ROOM ..., {verb} @NAME ...)");
            return true;
        }
        // What was queued before (a message just kept, a /forget just confirmed) is on disk first.
        _writer.FlushAsync().GetAwaiter().GetResult();
        if (verb == "/forget")
            Forget(conversation, argument);
        else if (argument.Length == 0)
            Error("usage", "usage: /search [#ROOM | @NAME] TEXT (any case, in the kept history of the current room or the one named)");
        else
            Search(conversation, argument);
        return true;
    }

    private void Search(string conversation, string query)
    {
        var found = _store!.Read(conversation).Where(m => m.Text.Contains(query, StringComparison.OrdinalIgnoreCase)).ToList();
        var shown = found.Skip(Math.Max(0, found.Count - MaxSearchResults)).ToList();
        if (_json)
        {
            Write(JsonSerializer.Serialize(new
            {
                @event = "search",
                conversation,
                query,
                total = found.Count,
                results = shown.Select(m => new
                {
                    id = m.Id,
                    from = m.From,
                    text = m.Text,
                    sent_at = m.At.ToString("O", CultureInfo.InvariantCulture),
                    own = m.Own,
                    direct = m.Direct,
                    delivery = m.Delivery.ToString().ToLowerInvariant(),
                }),
            }, Json));
            return;
        }
        var lines = new List<string>
        {
            found.Count == 0 ? $"* Nothing kept in {V(conversation)} contains \"{V(query)}\"."
                : found.Count > shown.Count ? $"* {found.Count} kept message(s) in {V(conversation)} contain \"{V(query)}\"; the newest {shown.Count}:"
                : $"* {found.Count} kept message(s) in {V(conversation)} contain \"{V(query)}\":",
        };
        lines.AddRange(shown.Select(ResultLine));
        Write(string.Join('\n', lines));
    }

    private static string ResultLine(KeptMessage m)
    {
        var time = TimeZoneInfo.ConvertTime(m.At, TimeZoneInfo.Local).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
        var text = PeerText.Visible(m.Text, keepNewlines: true).Replace("\n", "\n      ", StringComparison.Ordinal);
        var ticks = m.Delivery switch { Delivery.Delivered => " ✓✓", Delivery.Sent => " ✓", _ => "" };
        return text.StartsWith("/me ", StringComparison.Ordinal) && text.Length > 4
            ? $"  {time} * {V(m.From)} {text[4..]}{ticks}"
            : $"  {time} {V(m.From)}: {text}{ticks}";
    }

    private void Forget(string conversation, string argument)
    {
        if (!argument.Equals("yes", StringComparison.OrdinalIgnoreCase))
        {
            Error("confirm", $"/forget deletes the kept history of {V(conversation)} for good: type /forget yes (or /forget #ROOM yes, /forget @NAME yes) to do it. Nothing was deleted.");
            return;
        }
        _writer!.Forget(conversation);
        _writer.FlushAsync().GetAwaiter().GetResult();
        Write(_json
            ? JsonSerializer.Serialize(new { @event = "forgotten", conversation }, Json)
            : $"* The kept history of {V(conversation)} is deleted.");
    }

    // "#room rest", "@name rest" or "rest" (the current room).
    private (string? Conversation, string Argument) Target(string rest)
    {
        if (rest.Length > 1 && rest[0] is '#' or '@')
        {
            var split = rest.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries);
            var name = Names.Canonical(split[0][1..]);
            var key = rest[0] == '#' ? KeptMessage.Room(name) : KeptMessage.DirectWith(name);
            return (key, split.Length > 1 ? split[1].Trim() : "");
        }
        lock (_gate)
            return (_rooms.Count == 0 ? null : KeptMessage.Room(_rooms[^1]), rest);
    }

    private void Entered(string room)
    {
        _rooms.Remove(room);
        _rooms.Add(room);
    }

    private static string NewId() => Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8));

    private static string V(string text) => PeerText.Visible(text);

    private void Error(string code, string message) => _view.Show(new ErrorEvent(code, message));

    private void Write(string text)
    {
        _output.WriteLine(text);
        _output.Flush();
    }

    /// <summary>Waits until what was kept so far is on disk (specs).</summary>
    public Task FlushAsync() => _writer?.FlushAsync() ?? Task.CompletedTask;

    /// <summary>Writes what is queued, then closes the store.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_writer is not null)
            await _writer.DisposeAsync().ConfigureAwait(false);
        _store?.Dispose();
    }

    private sealed class Silent : IChatView
    {
        public void Show(ChatEvent e)
        {
        }
    }

    private sealed class KeepingView(LineHistory history, IChatView inner) : IChatView
    {
        public void Show(ChatEvent e)
        {
            if (history.AlreadyKept(e))
                return;
            history.Observe(e);
            inner.Show(e);
        }
    }
}
