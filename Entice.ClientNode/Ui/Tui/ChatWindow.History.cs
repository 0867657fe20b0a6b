using Terminal.Gui.Input;
using Entice.ClientNode.Ui.Presentation;

namespace Entice.ClientNode.Ui.Tui;

/// <summary>The main screen's part of the kept history: Ctrl+R in the input, /search results, /forget.</summary>
internal sealed partial class ChatWindow
{
    private readonly ReverseSearch _reverse = new();

    // Keys for Ctrl+R's search and for leaving /search results; true when the key was used up.
    private bool HistoryKey(Key key)
    {
        if (_reverse.Active)
            return ReverseSearchKey(key);
        if (key == Key.R.WithCtrl)
        {
            _reverse.Start(_presenter.History.Lines, _input.Value);
            _input.Overlay = _reverse.Prompt;
            return true;
        }
        if (_presenter.IsSearching && (key == Key.Esc || (key == Key.Enter && _input.Value.Length == 0)))
        {
            _presenter.EndSearch();
            _messages.ScrollToBottom();
            return true;
        }
        return false;
    }

    private bool ReverseSearchKey(Key key)
    {
        var used = true;
        if (key == Key.R.WithCtrl)
            _reverse.Older();
        else if (key == Key.Esc || key == Key.G.WithCtrl)
            _input.Value = _reverse.Cancel();
        else if (key == Key.Enter)
            TakeMatch();
        else if (key == Key.Backspace || key == Key.H.WithCtrl)
            _reverse.Backspace();
        else if (!key.IsCtrl && !key.IsAlt && key.AsGrapheme is { Length: > 0 } g && g[0] >= ' ')
            _reverse.Type(g);
        else
        {
            // Any other key ends the search with the match in the line, then does what it does (readline).
            TakeMatch();
            used = false;
        }
        _input.Overlay = _reverse.Active ? _reverse.Prompt : null;
        return used;
    }

    private void TakeMatch()
    {
        _input.Value = _reverse.Accept();
        _input.Line.End();
    }

    private void ConfirmForget(ConfirmForgetAction forget)
    {
        _app.Invoke(() =>
        {
            if (Stopped is not null || _closing)
                return;
            var answer = RunDialog(() => TextDialog.Show(_app, "Forget",
                $"Delete the kept history of {forget.Title} on this device?\nIt cannot be brought back. (The pane keeps what it shows until /clear.)",
                "Delete", "Cancel"));
            if (answer == 0)
                _presenter.Forget(forget.Conversation);
            Refresh();
        });
    }
}
