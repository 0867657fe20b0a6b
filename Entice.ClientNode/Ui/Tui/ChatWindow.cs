using System.Diagnostics;
using Akka.Actor;
using Entice.Client;
using Terminal.Gui.App;
using Terminal.Gui.Drawing;
using Terminal.Gui.Drivers;
using Terminal.Gui.Input;
using Terminal.Gui.ViewBase;
using Terminal.Gui.Views;
using Entice.ClientNode.Ui.Presentation;
using Entice.ClientNode.Ui.Views;

namespace Entice.ClientNode.Ui.Tui;

/// <summary>
/// The main screen: conversations on the left, messages in the middle, members on the right, the input
/// line and the status bar at the bottom. Runs on the UI thread only; <see cref="TuiChatView"/> brings
/// events here with <see cref="IApplication.Invoke(Action)"/>.
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

    // Tab: complete the word before the cursor; a Tab inside a burst of keys (a paste) stays a space.
    private bool Complete()
    {
        if (_gate.InBurst(Now()))
            return false;
        var completed = _completion.Complete(_input.Line.BeforeCursor, _input.Line.AfterCursor, _presenter.CompletionNames, _presenter.RoomNames);
        if (completed is not null)
            _input.Line.ReplaceBeforeCursor(completed);
        return true;
    }

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

    private static readonly long Started = Stopwatch.GetTimestamp();

    // Monotonic ticks since start. (Timestamp * TicksPerSecond overflowed a long after about 15 minutes
    // of uptime with a nanosecond Stopwatch, which made the time jump.)
    private static long Now() => Stopwatch.GetElapsedTime(Started).Ticks;

    // Before every key that edits the input: a waiting Enter turns out to be typed (send) or pasted (a line break).
    private void OnTyped(bool enter)
    {
        var now = Now();
        switch (enter ? _gate.Enter(now) : _gate.Key(now))
        {
            case PasteGate.KeyVerdict.NewlineThenType:
                _input.Insert("\n");
                break;
            case PasteGate.KeyVerdict.SendThenType:
                SubmitInput();
                break;
            case PasteGate.KeyVerdict.ConfirmThenType:
                ConfirmPaste(TakeInput());
                break;
        }
        WatchGate();
    }

    // While the gate has an Enter or a burst waiting, look every 20 ms whether it is due; idle otherwise.
    private void WatchGate()
    {
        if (_gateWatched || !_gate.Pending)
            return;
        _gateWatched = true;
        _app.AddTimeout(TimeSpan.FromMilliseconds(20), () =>
        {
            switch (_gate.Tick(Now()))
            {
                case PasteGate.Due.Send:
                    SubmitInput();
                    break;
                case PasteGate.Due.ConfirmPaste:
                    ConfirmPaste(TakeInput());
                    break;
            }
            _gateWatched = _gate.Pending && Stopped is null && !_closing;
            return _gateWatched;
        });
    }

    private string TakeInput()
    {
        var text = _input.Value;
        _input.Value = "";
        return text;
    }

    private void SubmitInput()
    {
        if (_input.Line.IsMultiLine)
        {
            ConfirmPaste(TakeInput());
            return;
        }
        _presenter.EndSearch();
        Perform(_presenter.Submit(TakeInput()));
        _messages.ScrollToBottom();
        Refresh();
    }

    // A bracketed paste arrives whole: one line goes into the input, several lines are offered as one message.
    private void OnPaste(object? sender, PasteEventArgs e)
    {
        if (Stopped is not null || _closing || !ReferenceEquals(_app.TopRunnable, this))
            return;
        e.Handled = true;
        var text = e.Text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').TrimEnd('\n');
        _input.Insert(text);
        if (_input.Line.IsMultiLine)
            ConfirmPaste(TakeInput());
    }

    // Asks (after this key or timer returns) whether to send a multi-line paste as one message.
    private void ConfirmPaste(string text)
    {
        if (ChatPresenter.Normalise(text).Length == 0)
            return;
        _app.Invoke(() =>
        {
            if (Stopped is not null || _closing)
                return;
            var answer = RunDialog(() => TextDialog.Show(_app, "Paste", ChatPresenter.PastePreview(text, 8, 60), "Send", "Discard"));
            if (answer == 0)
            {
                Perform(_presenter.SubmitMessage(text));
                _messages.ScrollToBottom();
            }
            Refresh();
        });
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

    private void OnAppKeyDown(object? sender, Key key)
    {
        if (Stopped is not null)
            return;
        if (key == Key.Q.WithCtrl)
        {
            // Quits from anywhere, a dialog included; the screen closes when the client has stopped.
            key.Handled = true;
            Quit();
            return;
        }
        if (!ReferenceEquals(_app.TopRunnable, this))
            return;
        if (HistoryKey(key))
        {
            key.Handled = true;
            Refresh();
            return;
        }
        var handled = true;
        if (key == Key.F1)
            ShowHelp();
        else if (key == Key.N.WithCtrl)
            _presenter.SelectNext();
        else if (key == Key.P.WithCtrl)
            _presenter.SelectPrevious();
        else if (key == Key.A.WithAlt)
            _presenter.SelectNextActive();
        else if (key == Key.F2)
            _showConversations = !_showConversations;
        else if (key == Key.F3)
            _showMembers = !_showMembers;
        else if (key == Key.PageUp)
            _messages.ScrollPages(1);
        else if (key == Key.PageDown)
            _messages.ScrollPages(-1);
        else if (key == Key.End.WithCtrl)
            _messages.ScrollToBottom();
        else if (key == Key.CursorUp)
            _input.Value = _presenter.History.Older(_input.Value);
        else if (key == Key.CursorDown)
            _input.Value = _presenter.History.Newer(_input.Value);
        else if (key == Key.Esc)
            _input.Value = "";
        else if (key.IsAlt && !key.IsCtrl && AltDigit(key) is int n)
            _presenter.Select(n - 1);
        else
            handled = false;
        if (!handled)
            return;
        key.Handled = true;
        Refresh();
    }

    private static int? AltDigit(Key key)
    {
        for (var n = 1; n <= 9; n++)
        {
            if (key == new Key((KeyCode)('0' + n)).WithAlt)
                return n;
        }
        return null;
    }

    private void Perform(IEnumerable<InputAction> actions)
    {
        foreach (var action in actions)
        {
            switch (action)
            {
                case InputAction.Send send:
                    Client?.Tell(send.Command);
                    break;
                case InputAction.Quit:
                    Quit();
                    break;
                case InputAction.ShowHelp:
                    ShowHelp();
                    break;
                case ConfirmForgetAction forget:
                    ConfirmForget(forget);
                    break;
            }
        }
    }

    private void Quit()
    {
        if (_quitSent)
            return;
        _quitSent = true;
        Client?.Tell(new ChatClient.EndOfInput());
    }

    // Two pages (commands, keys) so that each fits a 24-row terminal.
    private void ShowHelp()
    {
        var page = 0;
        while (Stopped is null && !_closing)
        {
            var answer = page == 0
                ? RunDialog(() => TextDialog.Show(_app, "Entice help: commands", HelpText.RenderCommands(), "Keys ›", "Close"))
                : RunDialog(() => TextDialog.Show(_app, "Entice help: keys", HelpText.RenderKeys(), "‹ Commands", "Close"));
            if (answer != 0)
                return;
            page = 1 - page;
        }
    }

    private void ShowDialogs()
    {
        while (_dialogs.Count > 0 && Stopped is null)
        {
            switch (_dialogs.Dequeue())
            {
                case UiEffect.ShowSafetyNumber s:
                    ShowSafetyNumber(s);
                    break;
                case UiEffect.WarnKeyChanged k:
                    WarnKeyChanged(k.Peer);
                    break;
            }
        }
    }

    private void ShowSafetyNumber(UiEffect.ShowSafetyNumber s)
    {
        var rows = Enumerable.Range(0, 3).Select(r => "    " + string.Join("   ", s.Groups.Skip(r * 4).Take(4)));
        var peer = PeerText.Visible(s.Peer);
        var text = $"Safety number with {peer}:\n\n{string.Join('\n', rows)}\n\n"
            + $"{peer} sees the same 60 digits under /verify {_presenter.Me}.\n"
            + "Compare them in person or on a call (not through this chat).\n"
            + "Equal numbers mean no one is in between; different numbers mean\n"
            + "someone may be: do not send anything sensitive.";
        var matchLabel = s.KeyChanged ? "They match: accept key" : "They match";
        var answer = RunDialog(() => TextDialog.Show(_app, $"Verify {peer}", text, matchLabel, "Close"));
        if (answer == 0)
            Perform(_presenter.MarkVerified(s.Peer));
    }

    private void WarnKeyChanged(string peerName)
    {
        if (!_presenter.PendingKeyWarnings.Contains(peerName))
            return;
        var peer = PeerText.Visible(peerName);
        var text = $"The key of {peer} CHANGED.\n\n"
            + $"Either {peer} reinstalled or moved to a new device, or someone\n"
            + "(the relay, or someone on the network) is pretending to be them.\n\n"
            + $"Nothing is sent to {peer} until you accept the new key.\n"
            + $"Compare safety numbers with {peer} in person or on a call first.";
        var answer = RunDialog(() => TextDialog.Show(_app, $"Key of {peer} changed", text, "Compare (/verify)", "Accept (/trust)", "Later"));
        switch (answer)
        {
            case 0:
                Perform([_presenter.CompareKey(peerName)]);
                break;
            case 1:
                Perform([_presenter.AcceptKeyChange(peerName)]);
                break;
            default:
                _presenter.DismissKeyWarning(peerName);
                break;
        }
        Refresh();
    }

    private int? RunDialog(Func<int?> dialog)
    {
        _inDialog = true;
        try
        {
            return dialog();
        }
        finally
        {
            _inDialog = false;
            if (Stopped is not null || _closing)
                _app.RequestStop(this);
            else
                _input.SetFocus();
        }
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
