using Akka.Actor;
using Akka.Event;

namespace Entice.Server.Store;

/// <summary>
/// One state. Runs one store call at a time on the store dispatcher, answers the requester directly,
/// then tells the <see cref="StoreActor"/> it is free. A failed call is logged and answered with
/// <see cref="Status.Failure"/> (an asker's task fails); the worker stays.
/// </summary>
internal sealed class StoreWorkerActor : ReceiveActor
{
    public sealed record Work(ServerStore.Request Request, IActorRef ReplyTo);

    public sealed record Done(string Key);

    public StoreWorkerActor(OfflineStore store, Func<ServerStore.Request, OfflineStore, object?> calls)
    {
        var log = Context.GetLogger();
        Receive<Work>(w =>
        {
            try
            {
                if (calls(w.Request, store) is { } answer && !w.ReplyTo.IsNobody())
                    w.ReplyTo.Tell(answer);
            }
            catch (Exception ex) when (ex is System.Data.Common.DbException or InvalidOperationException or TimeoutException or IOException)
            {
                log.Error("Store call {Request} failed: {Error}", w.Request.GetType().Name, ex.Message);
                if (!w.ReplyTo.IsNobody())
                    w.ReplyTo.Tell(new Status.Failure(ex));
            }
            Sender.Tell(new Done(w.Request.Key));
        });
    }
}
