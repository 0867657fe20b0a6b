using Akka.Actor;
using Akka.Event;

namespace Entice.Server.Store;

/// <summary>
/// States:
///   Opening -> opens the database (on the store dispatcher); requests are stashed.
///   Open    -> requests queue per key; a free worker takes the oldest request of a key with none running.
///   Failed  -> the database could not be opened; the parent was told; requests are dropped (askers time out).
/// Each key has at most one request running, so one room's (or one name's) calls keep their order, while
/// other keys use the other workers. Owns the <see cref="OfflineStore"/> and closes it when stopped.
/// </summary>
internal sealed class StoreActor : ReceiveActor, IWithUnboundedStash
{
    private readonly Func<OfflineStore> _open;
    private readonly int _workerCount;
    private readonly Func<ServerStore.Request, OfflineStore, object?> _calls;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Dictionary<string, Queue<(ServerStore.Request Request, IActorRef ReplyTo)>> _byKey = new(StringComparer.Ordinal);
    // Keys with waiting requests and none running, oldest first.
    private readonly Queue<string> _ready = new();
    private readonly Queue<IActorRef> _idle = new();
    private OfflineStore? _store;

    public StoreActor(Func<OfflineStore> open, int workers, Func<ServerStore.Request, OfflineStore, object?> calls)
    {
        _open = open;
        _workerCount = workers;
        _calls = calls;
        Receive<Opened>(_ =>
        {
            for (var i = 0; i < _workerCount; i++)
                _idle.Enqueue(Context.ActorOf(Akka.Actor.Props.Create(() => new StoreWorkerActor(_store!, _calls)).WithDispatcher(ServerStore.DispatcherId), $"worker-{i}"));
            Become(Open);
            Stash.UnstashAll();
            Context.Parent.Tell(new ServerStore.Opened());
        });
        Receive<Status.Failure>(f =>
        {
            _log.Error("The store cannot be opened: {Reason}", f.Cause.Message);
            Context.Parent.Tell(new ServerStore.OpenFailed(f.Cause.Message));
            Become(() => ReceiveAny(_ => { }));
        });
        ReceiveAny(_ => Stash.Stash());
    }

    public IStash Stash { get; set; } = null!;

    private sealed record Opened;

    protected override void PreStart()
    {
        // On the store dispatcher: opening may create tables and wait for another node's schema lock.
        try
        {
            _store = _open();
            Self.Tell(new Opened());
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException)
        {
            Self.Tell(new Status.Failure(ex));
        }
    }

    protected override void PostStop() => _store?.Dispose();

    private void Open()
    {
        Receive<ServerStore.Request>(r =>
        {
            if (_byKey.TryGetValue(r.Key, out var queue))
            {
                queue.Enqueue((r, Sender));
                return;
            }
            _byKey[r.Key] = new Queue<(ServerStore.Request, IActorRef)>([(r, Sender)]);
            _ready.Enqueue(r.Key);
            Dispatch();
        });
        Receive<StoreWorkerActor.Done>(d =>
        {
            _idle.Enqueue(Sender);
            var queue = _byKey[d.Key];
            queue.Dequeue();
            if (queue.Count > 0)
                _ready.Enqueue(d.Key);
            else
                _byKey.Remove(d.Key);
            Dispatch();
        });
    }

    private void Dispatch()
    {
        while (_idle.Count > 0 && _ready.Count > 0)
        {
            var key = _ready.Dequeue();
            var (request, replyTo) = _byKey[key].Peek();
            _idle.Dequeue().Tell(new StoreWorkerActor.Work(request, replyTo));
        }
    }
}
