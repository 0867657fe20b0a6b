using Akka.Actor;
using Entice.Client;
using Terminal.Gui.Drivers;
using Terminal.Gui.Input;
using Entice.ClientNode.Ui.Presentation;

namespace Entice.ClientNode.Ui.Tui;

// Keys for the whole window (Alt+digit, F2/F3, Ctrl+N/P, Ctrl+Q, ...) and the presenter's actions carried out.
internal sealed partial class ChatWindow
{
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
}
