using Entice.Wire;
using Entice.Client;
using Entice.ClientNode.Ui.Views;

namespace Entice.ClientNode.Ui.Presentation;

/// <summary>
/// Everything a windowed UI shows, kept from <see cref="ChatEvent"/>s and the user's input, with no
/// terminal code: conversations (rooms and direct ones) with their lines and unread counts, members
/// and their key states, the status line, input history and routing, the key-change flow.
/// Not thread-safe: the UI calls it from its own thread only.
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

    public KeyState KeyOf(string peer) => _keys.GetValueOrDefault(peer, KeyState.Unverified);

    /// <summary>The member list for the selected conversation: yourself first, then the others by name.</summary>
    public IReadOnlyList<MemberView> Members
    {
        get
        {
            var selected = Selected;
            if (selected is null)
                return [];
            if (selected.IsDirect)
                return [new MemberView(Me, true, true, KeyState.Unverified), new MemberView(selected.Name, IsOnline(selected.Name), false, KeyOf(selected.Name))];
            if (!_members.TryGetValue(selected.Name, out var room))
                return [new MemberView(Me, true, true, KeyState.Unverified)];
            return [new MemberView(Me, true, true, KeyState.Unverified),
                .. room.Where(m => m.Key != Me).Select(m => new MemberView(m.Key, m.Value, false, KeyOf(m.Key)))];
        }
    }

    private bool IsOnline(string name) => _members.Values.Any(r => r.TryGetValue(name, out var online) && online);

    // ---- events from the chat actor ----

    public IReadOnlyList<UiEffect> Apply(ChatEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (ApplyTopic(e))
            return [];
        switch (e)
        {
            case ReadyEvent r:
                Fingerprint = r.Fingerprint;
                Connection = ConnectionState.Connected;
                Select(OpenRoom(r.Room));
                Notice(Selected!, $"You are {r.Name} in #{r.Room}. Your fingerprint: {r.Fingerprint}. F1 for help.");
                break;
            case RoomEnteredEvent r:
                Select(OpenRoom(r.Room));
                Notice(Selected!, $"You are in #{V(r.Room)}.");
                break;
            case RoomExitedEvent r:
                CloseConversation(_conversations.FindIndex(c => !c.IsDirect && c.Name == r.Room));
                _members.Remove(r.Room);
                _gone.Remove(r.Room);
                if (Selected is { } now)
                    Notice(now, $"You left #{V(r.Room)}.");
                break;
            case MemberJoinedEvent j:
                MembersOf(j.Room)[j.Name] = true;
                GoneFrom(j.Room).Remove(j.Name);
                if (j.Name != Me)
                    Notice(RoomOrSystem(j.Room), $"→ {V(j.Name)} is here");
                break;
            case MemberAwayEvent a:
                MembersOf(a.Room)[a.Name] = false;
                GoneFrom(a.Room).Remove(a.Name);
                Notice(RoomOrSystem(a.Room), $"◌ {V(a.Name)} is away (messages are kept for them)");
                break;
            case MemberLeftEvent l:
                MembersOf(l.Room)[l.Name] = false;
                GoneFrom(l.Room).Add(l.Name);
                Notice(RoomOrSystem(l.Room), $"← {V(l.Name)} left");
                break;
            case MembersEvent m:
                var members = MembersOf(m.Room);
                foreach (var known in members.Keys.ToList())
                    members[known] = false;
                foreach (var present in m.Members)
                {
                    members[present] = true;
                    GoneFrom(m.Room).Remove(present);
                }
                Notice(RoomOrSystem(m.Room), $"In #{V(m.Room)}: {string.Join(", ", m.Members.Select(V))}");
                break;
            case MessageEvent { Direct: true } m:
                var dm = OpenDirect(m.From);
                dm.ViaRoom = m.Room;
                return AddMessage(dm, V(m.From), Body(m.Text), m.SentAt, own: false, direct: true) ? [new UiEffect.Bell()] : [];
            case MessageEvent m:
                return AddMessage(_conversations[OpenRoom(m.Room)], V(m.From), Body(m.Text), m.SentAt, own: false, direct: false) ? [new UiEffect.Bell()] : [];
            case SentEvent { Tag: { } sentTag }:
                MarkOwn(sentTag, l => l with { Sent = true });
                break;
            case DeliveredEvent { Tag: { } deliveredTag }:
                MarkOwn(deliveredTag, l => l with { Sent = true, Delivered = true });
                break;
            case SafetyNumberEvent s:
                return [new UiEffect.ShowSafetyNumber(s.Peer, s.SafetyNumber, KeyOf(s.Peer) == KeyState.Changed)];
            case KeyChangedEvent k:
                _keys[k.Peer] = KeyState.Changed;
                if (!_pendingKeyWarnings.Contains(k.Peer))
                    _pendingKeyWarnings.Add(k.Peer);
                Error(CurrentOrSystem(), $"The key of {V(k.Peer)} CHANGED. Nothing is sent to {V(k.Peer)} until you accept it (/verify {V(k.Peer)}, then /trust {V(k.Peer)}).");
                return [new UiEffect.WarnKeyChanged(k.Peer)];
            case VerifiedEvent v:
                _keys[v.Peer] = KeyState.Verified;
                break;
            case TrustedEvent t:
                _keys[t.Peer] = KeyState.Trusted;
                _pendingKeyWarnings.Remove(t.Peer);
                Notice(CurrentOrSystem(), $"You now trust the current key of {V(t.Peer)}.");
                break;
            case GapEvent g:
                Error(CurrentOrSystem(), g.Late
                    ? $"A message from {g.From} arrived out of order (after later ones); it follows."
                    : $"{g.Missing} message(s) from {g.From} are missing (lost, or held back by the relay).");
                break;
            case ErrorEvent err:
                if (err.Code is ErrorCodes.Disconnected or ErrorCodes.ServerUnreachable)
                    Connection = ConnectionState.Disconnected;
                Error(CurrentOrSystem(), $"{V(err.Message)} ({V(err.Code)})");
                break;
            case DisconnectedEvent d:
                // The status bar shows the connection (with the countdown and the reason); a pane line
                // for every failed attempt would bury the conversation.
                Connection = ConnectionState.Reconnecting;
                RetryAt = _now() + d.RetryIn;
                ConnectionProblem = V(d.Reason);
                break;
            case ReconnectedEvent r:
                Connection = ConnectionState.Connected;
                RetryAt = null;
                ConnectionProblem = null;
                Server = V(r.Server);
                break;
            case StoppedEvent s:
                Connection = ConnectionState.Stopped;
                Notice(CurrentOrSystem(), $"Stopped: {s.Reason}");
                return [new UiEffect.Close(s.ExitCode, s.Reason)];
        }
        return [];
    }

    // ---- input ----

    /// <summary>
    /// A line the user typed in the selected conversation. Plain text goes to the selected room, or to
    /// the peer of a direct conversation; own messages are shown at once and marked ✓ when
    /// the server has taken them. Commands go to the chat actor with the selected room as context.
    /// </summary>
    public IReadOnlyList<InputAction> Submit(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var line = text.TrimEnd('\r', '\n');
        if (line.Trim().Length == 0)
            return [];
        History.Add(line);
        KeepInput(line);
        var selected = Selected;
        var room = selected is null ? null : selected.IsDirect ? selected.ViaRoom : selected.Name;

        if (line.StartsWith('/') && !line.StartsWith("//", StringComparison.Ordinal))
        {
            var parts = line.Split(' ', 3, StringSplitOptions.RemoveEmptyEntries);
            var verb = parts[0].ToLowerInvariant();
            if (verb == "/part")
            {
                // irssi's name for /leave.
                line = "/leave" + line[parts[0].Length..];
                verb = "/leave";
            }
            else if (verb == "/query" && parts.Length == 3)
            {
                // /query NAME TEXT is /msg NAME TEXT.
                line = "/msg" + line[parts[0].Length..];
                verb = "/msg";
            }
            if (HistoryCommand(verb, line, selected) is { } historyActions)
                return historyActions;
            switch (verb)
            {
                case "/help" when parts.Length == 1:
                    return [new InputAction.ShowHelp()];
                case "/help":
                    var help = HelpText.For(parts[1]);
                    if (help is null)
                        Error(CurrentOrSystem(), $"No command {V(parts[1])}; F1 or /help lists them all.");
                    else
                        foreach (var h in help)
                            Notice(CurrentOrSystem(), h);
                    return [];
                case "/nick":
                    Notice(CurrentOrSystem(), HelpText.Nick);
                    return [];
                case "/clear":
                    if (selected is not null)
                    {
                        selected.Lines.Clear();
                        selected.LastDay = null;
                    }
                    else
                        _systemLines.Clear();
                    return [];
                case "/names":
                    Names(selected);
                    return [];
                case "/query" when parts.Length == 2:
                    Select(_conversations.IndexOf(OpenDirect(parts[1])));
                    return [];
                case "/query":
                    Error(CurrentOrSystem(), "usage: /query NAME [TEXT]");
                    return [];
                case "/me" when line.Length > 4 && line[3] == ' ':
                    var act = PaneLine.ActionPrefix + line[4..];
                    if (selected is null)
                        return [];
                    var actTag = AddOwn(selected, act, direct: selected.IsDirect);
                    // Sent as text starting with "/me " (the // escape keeps it from being a command).
                    return [new InputAction.Send(new ChatClient.Command(selected.IsDirect ? new UserCommand.Direct(selected.Name, act) : new UserCommand.Say(act), room, actTag))];
                case "/me":
                    Error(CurrentOrSystem(), "usage: /me TEXT");
                    return [];
                case "/quit" or "/exit":
                    return [new InputAction.Quit()];
                case "/msg" when parts.Length == 3:
                    var dm = OpenDirect(parts[1]);
                    Select(_conversations.IndexOf(dm));
                    var dmTag = AddOwn(dm, parts[2], direct: true);
                    return [new InputAction.Send(new ChatClient.Command(new UserCommand.Direct(dm.Name, parts[2]), dm.ViaRoom ?? room, dmTag))];
                case "/leave" when line.Trim() == "/leave" && selected is { IsDirect: true }:
                    CloseConversation(_selected);
                    return [];
                default:
                    return [new InputAction.Send(new ChatClient.Command(UserCommand.Parse(line), room))];
            }
        }

        return SendText(line.StartsWith("//", StringComparison.Ordinal) ? line[1..] : line);
    }

    /// <summary>
    /// Text to send as one message whatever it holds: a paste of several lines the user confirmed. No
    /// line of it runs as a command (a first line starting with <c>/</c> is sent as text), and the chat
    /// actor gets it as one typed message with its line feeds.
    /// </summary>
    public IReadOnlyList<InputAction> SubmitMessage(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var body = Normalise(text);
        return body.Trim().Length == 0 ? [] : SendText(body);
    }

    // Text (never a command) to the selected conversation: the room, or the peer of a direct one (through
    // the room it was opened from); shown at once as our own line, whose tag later carries the ticks.
    private IReadOnlyList<InputAction> SendText(string body)
    {
        var selected = Selected;
        if (selected is null)
            return [new InputAction.Send(new ChatClient.Command(new UserCommand.Say(body)))];
        if (selected.IsDirect)
        {
            var directTag = AddOwn(selected, body, direct: true);
            return [new InputAction.Send(new ChatClient.Command(new UserCommand.Direct(selected.Name, body), selected.ViaRoom, directTag))];
        }
        var tag = AddOwn(selected, body, direct: false);
        return [new InputAction.Send(new ChatClient.Command(new UserCommand.Say(body), selected.Name, tag))];
    }

    /// <summary>Line feeds only (CR LF and CR become LF), without blank lines at the start or end.</summary>
    public static string Normalise(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var lf = text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');
        var start = 0;
        while (start < lf.Length && lf[start] == '\n')
            start++;
        var end = lf.Length;
        while (end > start && char.IsWhiteSpace(lf[end - 1]))
            end--;
        return lf[start..end];
    }

    /// <summary>
    /// What the paste confirmation shows: how many lines and characters, and the first few lines, each
    /// cut to <paramref name="width"/> columns (control characters made visible).
    /// </summary>
    public static string PastePreview(string text, int maxLines, int width)
    {
        var body = Normalise(text);
        var lines = body.Split('\n');
        var shown = lines.Take(maxLines).Select(l => "  " + TextWidth.Truncate(PeerText.Visible(l), Math.Max(4, width - 2)));
        var more = lines.Length > maxLines ? $"\n  … and {lines.Length - maxLines} more line(s)" : "";
        return $"Send this paste of {lines.Length} lines ({body.Length:N0} characters) as one message?\n"
            + "No line of it runs as a command.\n\n" + string.Join('\n', shown) + more;
    }

    // ---- key-change flow ----

    /// <summary>"Compare": ask for the safety number.</summary>
    public InputAction CompareKey(string peer) => new InputAction.Send(new ChatClient.Command(new UserCommand.Verify(peer), RoomHint()));

    /// <summary>"Accept the new key": nothing was sent to the peer until now.</summary>
    public InputAction AcceptKeyChange(string peer)
    {
        _pendingKeyWarnings.Remove(peer);
        return new InputAction.Send(new ChatClient.Command(new UserCommand.Trust(peer), RoomHint()));
    }

    /// <summary>"Later": the warning closes; the member stays marked KEY CHANGED and nothing is sent to them.</summary>
    public void DismissKeyWarning(string peer) => _pendingKeyWarnings.Remove(peer);

    /// <summary>
    /// The user compared the safety number and it matches: <c>/verified NAME</c> records it in the key
    /// directory (the member shows ✓ from now on, in later runs too); a changed key is accepted with
    /// <c>/trust</c> first.
    /// </summary>
    public IReadOnlyList<InputAction> MarkVerified(string peer)
    {
        var verified = new InputAction.Send(new ChatClient.Command(new UserCommand.MarkVerified(peer), RoomHint()));
        if (KeyOf(peer) == KeyState.Changed)
            return [AcceptKeyChange(peer), verified];
        return [verified];
    }

    // ---- navigation ----

    public void Select(int index)
    {
        if (index < 0 || index >= _conversations.Count)
            return;
        _selected = index;
        _conversations[index].Unread = 0;
        _conversations[index].Highlights = 0;
    }

    /// <summary>
    /// Alt+A: the next conversation (after the selected one, round) with unread mentions or direct
    /// messages, else the next with any unread message. False when there is none.
    /// </summary>
    public bool SelectNextActive()
    {
        var count = _conversations.Count;
        var order = Enumerable.Range(1, count).Select(i => (_selected + i + count) % count).ToList();
        var next = order.Where(i => _conversations[i].Highlights > 0).Cast<int?>().FirstOrDefault()
            ?? order.Where(i => _conversations[i].Unread > 0).Cast<int?>().FirstOrDefault();
        if (next is not int n || n == _selected)
            return false;
        Select(n);
        return true;
    }

    /// <summary>For Tab: the selected conversation's members (you left out), then every other name known.</summary>
    public IReadOnlyList<string> CompletionNames()
    {
        var here = Members.Where(m => !m.IsMe).Select(m => m.Name);
        var others = _members.Values.SelectMany(r => r.Keys)
            .Concat(_conversations.Where(c => c.IsDirect).Select(c => c.Name))
            .Order(StringComparer.Ordinal);
        return here.Concat(others).Where(n => n != Me).Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>For Tab after <c>/join </c>: the rooms you are in.</summary>
    public IReadOnlyList<string> RoomNames() => _conversations.Where(c => !c.IsDirect).Select(c => c.Name).ToList();

    public void SelectNext() => Select(_conversations.Count == 0 ? -1 : (_selected + 1) % _conversations.Count);

    public void SelectPrevious() => Select(_conversations.Count == 0 ? -1 : (_selected - 1 + _conversations.Count) % _conversations.Count);

    // ---- helpers ----

    // Peer-supplied names, rooms and reasons: controls, escapes and bidi overrides shown, never executed.
    private static string V(string text) => PeerText.Visible(text);

    // A message body keeps its line feeds (the pane indents the lines after the first).
    private static string Body(string text) => PeerText.Visible(text, keepNewlines: true);

    private string? RoomHint() => Selected is { } s ? s.IsDirect ? s.ViaRoom : s.Name : null;

    private SortedDictionary<string, bool> MembersOf(string room)
    {
        if (!_members.TryGetValue(room, out var members))
            _members[room] = members = new SortedDictionary<string, bool>(StringComparer.Ordinal);
        return members;
    }

    private int OpenRoom(string room)
    {
        var index = _conversations.FindIndex(c => !c.IsDirect && c.Name == room);
        if (index >= 0)
            return index;
        // Rooms first, in the order joined; direct conversations after them.
        var at = _conversations.FindIndex(c => c.IsDirect);
        at = at < 0 ? _conversations.Count : at;
        var selected = Selected;
        _conversations.Insert(at, new Conversation(room, direct: false));
        if (selected is not null)
            _selected = _conversations.IndexOf(selected);
        FillKept(_conversations[at]);
        if (_systemLines.Count > 0)
        {
            _conversations[at].Lines.AddRange(_systemLines);
            _systemLines.Clear();
        }
        return at;
    }

    private Conversation OpenDirect(string peer)
    {
        var existing = _conversations.Find(c => c.IsDirect && c.Name == peer);
        if (existing is not null)
            return existing;
        var conversation = new Conversation(peer, direct: true);
        _conversations.Add(conversation);
        FillKept(conversation);
        return conversation;
    }

    private void CloseConversation(int index)
    {
        if (index < 0)
            return;
        var selected = Selected;
        _conversations.RemoveAt(index);
        _selected = selected is not null && _conversations.IndexOf(selected) is var kept and >= 0
            ? kept
            : Math.Min(index, _conversations.Count - 1);
        if (_selected >= 0)
        {
            _conversations[_selected].Unread = 0;
            _conversations[_selected].Highlights = 0;
        }
    }

    private HashSet<string> GoneFrom(string room)
    {
        if (!_gone.TryGetValue(room, out var gone))
            _gone[room] = gone = new HashSet<string>(StringComparer.Ordinal);
        return gone;
    }

    // /names: who is here and who is away (their messages are kept), from what the events said.
    private void Names(Conversation? selected)
    {
        if (selected is null or { IsDirect: true })
        {
            Error(CurrentOrSystem(), "/names lists a room's members; select a room first.");
            return;
        }
        var members = _members.GetValueOrDefault(selected.Name) ?? [];
        var gone = _gone.GetValueOrDefault(selected.Name) ?? [];
        var here = members.Where(m => m.Value && m.Key != Me).Select(m => V(m.Key)).Prepend($"{Me} (you)");
        var away = members.Where(m => !m.Value && m.Key != Me && !gone.Contains(m.Key)).Select(m => V(m.Key)).ToList();
        Notice(selected, $"In #{V(selected.Name)}: {string.Join(", ", here)}" + (away.Count > 0 ? $"; away: {string.Join(", ", away)}" : "; nobody away"));
    }

    private Conversation? RoomOrSystem(string room) => _conversations.Find(c => !c.IsDirect && c.Name == room);

    private Conversation? CurrentOrSystem() => Selected;

    // Own messages show at once; the line is marked sent when the SentEvent with its tag comes back.
    private string AddOwn(Conversation conversation, string text, bool direct)
    {
        AddMessage(conversation, Me, Body(text), _now(), own: true, direct);
        var tag = $"t{++_ownCounter}";
        _ownLines[tag] = (conversation, conversation.Lines[^1]);
        KeepOwnTag(tag);
        return tag;
    }

    private void MarkOwn(string tag, Func<PaneLine, PaneLine> mark)
    {
        if (!_ownLines.TryGetValue(tag, out var own))
            return;
        var index = own.Conversation.Lines.IndexOf(own.Line);
        if (index < 0)
        {
            _ownLines.Remove(tag); // scrolled out of the kept history
            return;
        }
        var marked = mark(own.Line);
        own.Conversation.Lines[index] = marked;
        _ownLines[tag] = (own.Conversation, marked);
        KeepDelivery(tag, own.Conversation, marked);
    }

    // True when the message mentions you or came to you directly (the UI rings the bell).
    private bool AddMessage(Conversation conversation, string from, string text, DateTimeOffset at, bool own, bool direct)
    {
        if (!_loading)
            Keep(conversation, from, text, at, own, direct);
        var action = text.StartsWith(PaneLine.ActionPrefix, StringComparison.Ordinal) && text.Length > PaneLine.ActionPrefix.Length;
        if (action)
            text = text[PaneLine.ActionPrefix.Length..];
        var mention = !own && Mentions.Contains(text, Me);
        var day = PaneFormat.Day(at, _zone);
        if (conversation.LastDay != day)
        {
            conversation.LastDay = day;
            Append(conversation, new PaneLine(PaneLineKind.DaySeparator, "", "", PaneFormat.DaySeparator(day)));
        }
        Append(conversation, new PaneLine(PaneLineKind.Message, PaneFormat.Time(at, _zone), from, text, own, direct, Mention: mention, Action: action));
        if (!own && conversation != Selected && !_loading)
        {
            conversation.Unread++;
            if (mention || direct)
                conversation.Highlights++;
        }
        return !own && !_loading && (mention || direct);
    }

    private void Notice(Conversation? conversation, string text) =>
        Append(conversation, new PaneLine(PaneLineKind.Notice, PaneFormat.Time(_now(), _zone), "", text));

    private void Error(Conversation? conversation, string text) =>
        Append(conversation, new PaneLine(PaneLineKind.Error, PaneFormat.Time(_now(), _zone), "", "! " + text));

    private void Append(Conversation? conversation, PaneLine line)
    {
        var lines = conversation?.Lines ?? _systemLines;
        lines.Add(line);
        if (lines.Count > MaxLinesPerConversation)
            lines.RemoveRange(0, lines.Count - MaxLinesPerConversation);
    }
}
