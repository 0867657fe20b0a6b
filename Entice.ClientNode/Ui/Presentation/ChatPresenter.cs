using Entice.Client;
using Entice.ClientNode.Ui.Views;
using Entice.Display;

namespace Entice.ClientNode.Ui.Presentation;

/// <summary>
/// Everything a windowed UI shows, kept from <see cref="ChatEvent"/>s and the user's input, with no
/// terminal code: conversations (rooms and direct ones) with their lines and unread counts, members
/// and their key states, the status line, input history and routing, the key-change flow.
/// Not thread-safe: the UI calls it from its own thread only. Split by concept: this file (state and
/// status line), <c>.Events</c> (chat events in), <c>.Input</c> (typed lines out), <c>.Conversations</c>
/// (the list, selection, members), <c>.Lines</c> (a conversation's lines), <c>.Keys</c> (key states and
/// the key-change flow), <c>.History</c> (kept history and search), <c>.Topic</c> (room topics).
/// </summary>
public sealed partial class ChatPresenter
{
    private const int MaxLinesPerConversation = 5000;

    private readonly List<Conversation> _conversations = [];
    private readonly Dictionary<string, SortedDictionary<string, bool>> _members = new(StringComparer.Ordinal);
    // Per room: who left it altogether (MemberLeftEvent), as opposed to away (their messages are kept).
    private readonly Dictionary<string, HashSet<string>> _gone = new(StringComparer.Ordinal);
    private readonly Dictionary<string, KeyState> _keys = new(StringComparer.Ordinal);
    private readonly List<string> _pendingKeyWarnings = [];
    private readonly List<PaneLine> _systemLines = [];
    private readonly Func<DateTimeOffset> _now;
    private readonly Dictionary<string, (Conversation Conversation, PaneLine Line)> _ownLines = new(StringComparer.Ordinal);
    private long _ownCounter;
    private readonly TimeZoneInfo _zone;
    private int _selected = -1;

    public ChatPresenter(string name, string server, Func<DateTimeOffset>? now = null, TimeZoneInfo? zone = null)
    {
        Me = name;
        Server = server;
        _now = now ?? (() => DateTimeOffset.Now);
        _zone = zone ?? TimeZoneInfo.Local;
    }

    public string Me { get; }

    public string Server { get; private set; }

    /// <summary>While reconnecting: when the next attempt is due (for the status bar's countdown).</summary>
    public DateTimeOffset? RetryAt { get; private set; }

    public string Fingerprint { get; private set; } = "";

    /// <summary>The first two groups of the fingerprint, for the status bar.</summary>
    public string ShortFingerprint => string.Join(' ', Fingerprint.Split(' ', StringSplitOptions.RemoveEmptyEntries).Take(2));

    public ConnectionState Connection { get; private set; } = ConnectionState.Connecting;

    public InputHistory History { get; } = new();

    public IReadOnlyList<Conversation> Conversations => _conversations;

    public Conversation? Selected => _selected >= 0 && _selected < _conversations.Count ? _conversations[_selected] : null;

    public int SelectedIndex => _selected;

    /// <summary>The selected conversation's lines (or start-up notices while there is none).</summary>
    public IReadOnlyList<PaneLine> Lines => SearchLines ?? Selected?.Lines ?? _systemLines;

    /// <summary>People whose changed key the user has not yet accepted or dismissed.</summary>
    public IReadOnlyList<string> PendingKeyWarnings => _pendingKeyWarnings;

    public string StatusText
    {
        get
        {
            var state = Connection switch
            {
                ConnectionState.Connecting => "connecting…",
                ConnectionState.Connected => "● connected",
                ConnectionState.Reconnecting when RetryAt is { } at => $"◌ reconnecting in {Math.Max(0, (at - _now()).TotalSeconds):0} s{Why()}",
                ConnectionState.Reconnecting => "◌ reconnecting",
                ConnectionState.Disconnected => "○ disconnected",
                _ => "stopped",
            };
            var where = Selected?.Title ?? "-";
            var fp = ShortFingerprint.Length > 0 ? $" │ you: {Me} {ShortFingerprint}" : $" │ you: {Me}";
            return $" {Server} │ {state} │ {where}{fp} │ F1 help";
        }
    }

    /// <summary>While reconnecting: why the last connection or attempt failed.</summary>
    public string? ConnectionProblem { get; private set; }

    private string Why() => ConnectionProblem is { Length: > 0 } why ? $" ({why})" : "";

    // Peer-supplied names, rooms and reasons: controls, escapes and bidi overrides shown, never executed.
    private static string V(string text) => PeerText.Visible(text);

    // A message body keeps its line feeds (the pane indents the lines after the first).
    private static string Body(string text) => PeerText.Visible(text, keepNewlines: true);

    private string? RoomHint() => Selected is { } s ? s.IsDirect ? s.ViaRoom : s.Name : null;
}
