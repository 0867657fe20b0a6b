using System.Net;
using Akka.Actor;
using Entice.Channels;
using Entice.Server.Cluster;
using Entice.Server.Store;
using Entice.Server.Names;
using Entice.Server.Rooms;
using Entice.Server.Connections;
using Entice.Transport;

namespace Entice.Server;

/// <summary>
/// States: Binding (callers of AwaitBinding wait until the listener is bound AND the store is open: a
/// store that fails to open after the socket is bound must still fail the start) -> Listening or Failed
/// (callers answered at once).
/// Children: store (on its own dispatcher), names, rooms, listener (and in a cluster the janitor that frees names of departed nodes). On Stop the listener tells every client and closes; Stopped is
/// answered when they are gone or after the shutdown grace period.
/// </summary>
internal sealed class RelayServerActor : ReceiveActor, IWithTimers
{
    private readonly List<IActorRef> _waiting = [];
    private readonly List<IActorRef> _stopWaiters = [];
    private object? _outcome;
    private bool _storeOpen;
    private IPEndPoint? _bound;

    private readonly string _dataDir;
    private readonly bool _throwaway;
    private readonly X25519KeyPair _channelKey; // owned by StartAsync: wiped when the system terminates
    private readonly ServerFingerprint _fingerprint;

    public RelayServerActor(ServerSettings settings, string dataDir, X25519KeyPair channelKey)
    {
        _throwaway = settings.UsesThrowawayDataDir;
        _dataDir = dataDir;
        _channelKey = channelKey;
        _fingerprint = ServerFingerprint.Of(channelKey.PublicKey);
        // Opened by the store itself, on its own dispatcher: nothing here waits for a disk or a database.
        var postgres = settings.Cluster.Postgres.Length > 0;
        var node = settings.Cluster.Enabled ? Akka.Cluster.Cluster.Get(Context.System).SelfAddress.ToString() : null;
        var store = Context.ActorOf(ServerStore.Props(
            () =>
            {
                var opened = postgres
                    ? OfflineStore.OpenPostgres(settings.Cluster.Postgres, settings.MaxStoredPerRecipient, settings.StoredTimeToLive, maxPerSender: settings.MaxStoredPerSender)
                    : OfflineStore.Open(dataDir, settings.MaxStoredPerRecipient, settings.StoredTimeToLive, maxPerSender: settings.MaxStoredPerSender);
                // Names an earlier run at this address still holds go before this run takes any claim.
                if (node is not null)
                    opened.ReleaseNode(node);
                return opened;
            },
            postgres ? settings.StoreWorkersPostgres : settings.StoreWorkersSqlite, settings.StoreCalls), "store");
        NameRegistry.SharedClaims? claims = null;
        if (node is not null)
        {
            claims = new NameRegistry.SharedClaims(node);
            Context.ActorOf(NodeJanitor.Props(store), "janitor");
        }
        var names = Context.ActorOf(NameRegistry.Props(store, claims, settings.NameUnusedRelease, settings.StoreAnswerTimeout), "names");
        var rooms = Context.ActorOf(RoomDirectory.Props(settings, store), "rooms");
        var listener = Context.ActorOf(Listener.Props(settings.LinkOptions(channelKey), ClientConnection.Protocol(settings, names, rooms, store)), "listener");

        Receive<ServerStore.OpenFailed>(f =>
        {
            Context.Stop(listener);
            if (_outcome is null)
                Settle(new RelayServer.BindFailed($"the store cannot be opened: {f.Reason}"));
        });
        Receive<RelayServer.Stop>(_ =>
        {
            if (_outcome is RelayServer.BindFailed)
            {
                Sender.Tell(new RelayServer.Stopped()); // never listened: nobody to tell
                return;
            }
            _stopWaiters.Add(Sender);
            listener.Tell(new Listener.Stop());
            Timers.StartSingleTimer("grace", new Listener.Drained(), settings.ShutdownGrace);
        });
        Receive<Listener.Drained>(_ =>
        {
            foreach (var w in _stopWaiters)
                w.Tell(new RelayServer.Stopped());
            _stopWaiters.Clear();
        });

        Receive<RelayServer.AwaitBinding>(_ =>
        {
            if (_outcome is null)
                _waiting.Add(Sender);
            else
                Sender.Tell(_outcome);
        });
        Receive<ServerStore.Opened>(_ =>
        {
            _storeOpen = true;
            if (_bound is not null && _outcome is null)
                Settle(new RelayServer.Started(_bound, Self, _fingerprint));
        });
        Receive<Listener.Bound>(b =>
        {
            _bound = (IPEndPoint)b.Endpoint;
            if (_storeOpen && _outcome is null)
                Settle(new RelayServer.Started(_bound, Self, _fingerprint));
        });
        Receive<Listener.BindFailed>(f =>
        {
            if (_outcome is null)
                Settle(new RelayServer.BindFailed(f.Reason));
        });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    // The store (a child) has closed the database by now: children stop before their parent.
    protected override void PostStop()
    {
        if (_throwaway)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(_dataDir, recursive: true);
            }
            catch (IOException)
            {
                // Best effort: it is a temporary directory.
            }
        }
    }

    private void Settle(object outcome)
    {
        _outcome = outcome;
        foreach (var w in _waiting)
            w.Tell(outcome);
        _waiting.Clear();
    }
}
