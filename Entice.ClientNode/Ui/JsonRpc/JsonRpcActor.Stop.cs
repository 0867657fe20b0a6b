using Entice.Client;

namespace Entice.ClientNode.Ui.JsonRpc;

// Ctrl+C or SIGTERM (JsonRpc.Interrupt): the chat actor is asked to deliver what is pending and stop,
// as at the end of input; but when the relay is gone that would wait for a reconnect up to drain-timeout
// (30 s). So the session stops by itself: at once when nothing of its own waits and it is not online,
// else after the interrupt's wait.
internal sealed partial class JsonRpcActor
{
    private const string StopTimer = "interrupt-stop";
    private bool _interrupted;
    private bool _stopped;

    private sealed record StopNow;

    private void OnInterrupt(JsonRpc.Interrupt interrupt)
    {
        if (_stopped)
            return;
        if (_interrupted)
        {
            StopHere("stopped by a second interrupt");
            return;
        }
        _interrupted = true;
        Commands.Tell(new ChatClient.EndOfInput(), Self);
        if (_sending.Count == 0 && _state.Connection != "online")
            StopHere($"stopped while {_state.Connection}: nothing was waiting for the server");
        else
            Timers.StartSingleTimer(StopTimer, new StopNow(), interrupt.Wait);
    }

    // The session's own end: what waits is answered, "stopped" is the last line, the program exits.
    private void StopHere(string reason)
    {
        if (_stopped)
            return;
        var code = _sending.Count == 0 ? 0 : 1;
        if (code != 0)
            reason += $"; {_sending.Count} message(s) were still waiting for the server";
        OnEvent(new StoppedEvent(code, reason));
    }
}
