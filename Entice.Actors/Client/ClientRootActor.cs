using Akka.Actor;
using Akka.Event;
using Entice.Wire;

namespace Entice.Client;

/// <summary>One state. See <see cref="ClientRoot"/> for what each child's failure costs and why.</summary>
internal sealed class ClientRootActor : ReceiveActor
{
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly TaskCompletionSource<int> _exit;
    private readonly IActorRef _view;
    private readonly IActorRef _crypto;
    private readonly IActorRef _chat;
    private readonly IActorRef? _memory;
    private readonly Dictionary<IActorRef, string> _lastFailure = [];
    private bool _chatDone;

    public ClientRootActor(ClientSettings settings, Props crypto, Props view, TaskCompletionSource<int> exit, Props? memory)
    {
        _exit = exit;
        _view = Context.Watch(Context.ActorOf(view, "view"));
        _crypto = Context.Watch(Context.ActorOf(crypto, "crypto"));
        // The chat actor reports to the view through this actor, to know that it stopped on purpose.
        _chat = Context.Watch(Context.ActorOf(ChatClient.Props(settings, _crypto, Self), "chat"));
        _memory = memory is null ? null : Context.ActorOf(memory, "memory");

        Receive<StoppedEvent>(s =>
        {
            _chatDone = true;
            _view.Tell(s);
        });
        Receive<ChatEvent>(e =>
        {
            _memory?.Tell(e);
            _view.Tell(e);
        });
        Receive<ClientRoot.GetChildren>(_ => Sender.Tell(new ClientRoot.Children(_view, _crypto, _chat)));
        Receive<Terminated>(t => OnTerminated(t.ActorRef));
        ReceiveAny(m => _chat.Forward(m));
    }

    protected override SupervisorStrategy SupervisorStrategy() =>
        new OneForOneStrategy(ClientRoot.MaxFailures, TimeSpan.FromMinutes(1), ex =>
        {
            var child = Sender;
            // It cannot even start again (its constructor threw): restarting would fail the same way.
            var directive = ex is ActorInitializationException ? Directive.Stop
                : child.Equals(_chat) ? Directive.Resume
                : Directive.Restart;
            var cause = ex is ActorInitializationException ? ex.GetBaseException() : ex;
            _lastFailure[child] = $"{cause.GetType().Name}: {cause.Message.ReplaceLineEndings(" ")}";
            _log.Error("The {Actor} actor failed ({Error}); {Action}", Which(child), cause.GetType().Name,
                directive == Directive.Resume ? "resuming it" : directive == Directive.Restart ? "restarting it" : "stopping it");
            return directive;
        });

    private string Which(IActorRef child) =>
        child.Equals(_chat) ? "chat" : child.Equals(_crypto) ? "crypto" : child.Equals(_view) ? "view" : child.Path.Name;

    private void OnTerminated(IActorRef child)
    {
        // The program ends the actor system once the exit code is known; until then the view must live
        // to show the last events, so the root never stops itself.
        if (child.Equals(_chat) && _chatDone)
            return;
        var why = _lastFailure.TryGetValue(child, out var failure) ? failure : "it stopped";
        var reason = $"the client's {Which(child)} actor failed and could not be brought back ({why}); stopping";
        _log.Error("{Reason}", reason);
        if (child.Equals(_view))
        {
            _exit.TrySetResult(1); // nothing left to show it on: the log line above (stderr) says why
        }
        else if (!_chatDone)
        {
            _chatDone = true;
            _view.Tell(new ErrorEvent(ErrorCodes.ActorFailed, reason));
            _view.Tell(new StoppedEvent(1, reason));
        }
    }
}
