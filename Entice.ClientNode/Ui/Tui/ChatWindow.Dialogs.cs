using Terminal.Gui.Input;
using Entice.ClientNode.Ui.Presentation;
using Entice.ClientNode.Ui.Views;
using Entice.Display;

namespace Entice.ClientNode.Ui.Tui;

// The modal prompts: help, the safety number to compare, a changed key (Compare, Accept, Later), one at a time.
internal sealed partial class ChatWindow
{
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
}
