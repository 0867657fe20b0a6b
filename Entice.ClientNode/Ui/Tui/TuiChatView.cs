using Entice.Client;
using Terminal.Gui.App;
using Entice.ClientNode.Ui.Views;

namespace Entice.ClientNode.Ui.Tui;

/// <summary>
/// The <see cref="IChatView"/> of the terminal UI. <see cref="Show"/> runs on the view actor's thread:
/// it only queues the event onto the UI thread (<see cref="IApplication.Invoke(Action)"/>) and returns,
/// so the actor never waits for the screen. After the screen closed, events are only noted.
/// </summary>
internal sealed class TuiChatView(IApplication app, ChatWindow window) : IChatView
{
    private volatile bool _closed;

    /// <summary>A <see cref="StoppedEvent"/> that arrived after the screen closed.</summary>
    public StoppedEvent? Stopped { get; private set; }

    public void Show(ChatEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (e is StoppedEvent s)
            Stopped = s;
        if (_closed)
            return;
        app.Invoke(() =>
        {
            if (!_closed)
                window.Show(e);
        });
    }

    /// <summary>Called on the UI thread when the loop ended.</summary>
    public void Close() => _closed = true;
}
