using System.Diagnostics;
using Terminal.Gui.Input;
using Entice.ClientNode.Ui.Presentation;

namespace Entice.ClientNode.Ui.Tui;

// Typing and pasting: Tab completion, the paste gate (typed Enter or pasted line break), bracketed
// pastes offered as one message, and the line submitted to the presenter.
internal sealed partial class ChatWindow
{
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
}
