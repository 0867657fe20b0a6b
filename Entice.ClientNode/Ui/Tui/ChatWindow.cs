using Akka.Actor;
using Entice.Client;
using Terminal.Gui.App;
using Terminal.Gui.Drawing;
using Terminal.Gui.ViewBase;
using Terminal.Gui.Views;
using Entice.ClientNode.Ui.Presentation;

namespace Entice.ClientNode.Ui.Tui;

/// <summary>
/// The main screen: conversations on the left, messages in the middle, members on the right, the input
/// line and the status bar at the bottom. Runs on the UI thread only; <see cref="TuiChatView"/> brings
/// events here with <see cref="IApplication.Invoke(Action)"/>. Split by concept: this file (layout,
/// events in, refresh, closing), <c>.Input</c> (typing, completion, pastes), <c>.Keys</c> (window keys
/// and actions), <c>.Dialogs</c> (help and key prompts), <c>.History</c> (Ctrl+R, /search, /forget).
/// </summary>
internal sealed partial class ChatWindow : Window
{
    // Keys that arrive closer together than this are one burst (a paste sent as keys, not typing).
    private static readonly TimeSpan PasteWindow = TimeSpan.FromMilliseconds(40);

    private readonly IApplication _app;
    private readonly ChatPresenter _presenter;
    private readonly ConversationList _conversations;
    private readonly MessagePane _messages;
    private readonly MemberPane _members;
    private readonly StatusLine _status;
    private readonly InputView _input;
    private readonly PasteGate _gate = new(PasteWindow);
    private readonly TabCompletion _completion = new();
    private bool _showConversations = true;
    private bool _showMembers = true;
    private long? _lastBell;
    private readonly Queue<UiEffect> _dialogs = new();
    private bool _inDialog;
    private bool _quitSent;
    private bool _closing;
    private bool _gateWatched;

    public ChatWindow(IApplication app, ChatPresenter presenter)
    {
        _app = app;
        _presenter = presenter;
        BorderStyle = LineStyle.None;
        Title = "Entice";

        // Side panes collapse on a narrow terminal (PaneLayout): the messages keep at least 40 columns.
        _conversations = new ConversationList(presenter) { X = 0, Y = 0, Width = Dim.Func(_ => PaneWidths().Conversations), Height = Dim.Fill(2) };
        _members = new MemberPane(presenter) { X = Pos.Func(_ => PaneWidths().Conversations + PaneWidths().Messages), Y = 0, Width = Dim.Func(_ => PaneWidths().Members), Height = Dim.Fill(2) };
        _messages = new MessagePane(presenter) { X = Pos.Func(_ => PaneWidths().Conversations), Y = 0, Width = Dim.Func(_ => PaneWidths().Messages), Height = Dim.Fill(2) };
        var prompt = new Label { X = 0, Y = Pos.AnchorEnd(2), Text = " › " };
        _input = new InputView { X = 3, Y = Pos.AnchorEnd(2), Width = Dim.Fill(), Height = 1 };
        _status = new StatusLine(presenter) { X = 0, Y = Pos.AnchorEnd(1), Width = Dim.Fill(), Height = 1 };
        Add(_conversations, _messages, _members, prompt, _input, _status);

        _conversations.Picked += i => { _presenter.Select(i); Refresh(); };
        _input.Typed += OnTyped;
        _input.Tab = Complete;
        _input.Edited += _completion.Reset;
        _app.Keyboard.KeyDown += OnAppKeyDown;
        _app.Paste += OnPaste;
        // The status bar counts down to the next reconnect attempt.
        _app.AddTimeout(TimeSpan.FromSeconds(1), () =>
        {
            if (_presenter.Connection == ConnectionState.Reconnecting)
                _status.SetNeedsDraw();
            return Stopped is null;
        });
        Refresh();
    }

    /// <summary>The chat actor; set before the first event can arrive.</summary>
    public IActorRef? Client { get; set; }

    /// <summary>The exit code and reason from <see cref="StoppedEvent"/>, once it arrived.</summary>
    public StoppedEvent? Stopped { get; private set; }

    public void Show(ChatEvent e)
    {
        if (e is StoppedEvent s)
            Stopped = s;
        foreach (var effect in _presenter.Apply(e))
        {
            if (effect is UiEffect.Close)
            {
                CloseAll();
                return;
            }
            if (effect is UiEffect.Bell)
            {
                Bell();
                continue;
            }
            _dialogs.Enqueue(effect);
        }
        Refresh();
        if (!_inDialog && _dialogs.Count > 0)
            _app.Invoke(ShowDialogs); // after this event's redraw, outside the caller's stack
    }

    public void FocusInput() => _input.SetFocus();

    /// <summary>Whether <see cref="ChatClient.EndOfInput"/> was sent (Ctrl+Q, /quit, a signal).</summary>
    public bool QuitSent => _quitSent;

    /// <summary>SIGTERM or SIGHUP: deliver what is pending and close the screen now (restoring the terminal).</summary>
    public void CloseForSignal()
    {
        _closing = true;
        Quit();
        _dialogs.Clear();
        if (_inDialog)
            _app.RequestStop();
        else
            _app.RequestStop(this);
    }

    // Side panes fit the names in them (bounded) and can be hidden with F2 / F3.
    private PaneLayout PaneWidths() => PaneLayout.For(
        Viewport.Width,
        _showConversations ? PaneLayout.Fit(_presenter.Conversations.Select((c, i) => $"{i + 1} {c.Title} (99)"), extra: 2) : 0,
        _showMembers ? PaneLayout.Fit(_presenter.Members.SelectMany(m => new[] { m.Label, m.StateText }), extra: 5) : 0);

    // BEL straight to the terminal (Terminal.Gui has no bell): between the driver's writes on this
    // thread, so it never lands inside an escape sequence. At most one per second (a burst of kept
    // messages after a reconnect rings once).
    private void Bell()
    {
        var now = Now();
        if (now - _lastBell < TimeSpan.TicksPerSecond)
            return;
        _lastBell = now;
        try
        {
            using var stdout = Console.OpenStandardOutput();
            stdout.WriteByte(7);
            stdout.Flush();
        }
        catch (IOException)
        {
            // No terminal to ring: nothing to do.
        }
    }

    private void Refresh()
    {
        _messages.Title = _presenter.PaneTitle;
        _conversations.SetNeedsDraw();
        _messages.SetNeedsDraw();
        _members.SetNeedsDraw();
        _status.SetNeedsDraw();
        SetNeedsLayout();
    }

    private void CloseAll()
    {
        _dialogs.Clear();
        Refresh();
        // A dialog runs its own loop on top of this window: stop it first; RunDialog stops the window after.
        if (_inDialog)
            _app.RequestStop();
        else
            _app.RequestStop(this);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _app.Keyboard.KeyDown -= OnAppKeyDown;
            _app.Paste -= OnPaste;
        }
        base.Dispose(disposing);
    }
}
