using Akka.Actor;
using Entice.Client;

namespace Entice.ClientNode.Ui.Views;

/// <summary>
/// Puts events on the screen, one at a time, and completes <paramref name="exit"/> with the exit code
/// once the client reports that it stopped. The program waits on that task, not on a thread.
/// </summary>
public sealed class ViewActor : ReceiveActor
{
    public ViewActor(IChatView view, TaskCompletionSource<int> exit)
    {
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(exit);
        Receive<ChatEvent>(e =>
        {
            view.Show(e);
            if (e is StoppedEvent stopped)
                exit.TrySetResult(stopped.ExitCode);
        });
    }

    public static Props Props(IChatView view, TaskCompletionSource<int> exit) =>
        Akka.Actor.Props.Create(() => new ViewActor(view, exit));
}
