using Akka.Actor;
using Entice.Server.Cluster;

namespace Entice.Server;

/// <summary>
/// Finds or creates the room actor for a room name and forwards joins to it. Rooms stay alive once
/// created (bounded by the names clients ask for; limits come with the hardening work).
/// </summary>
public static class RoomDirectory
{
    public static Props Props(ServerSettings settings, OfflineStore? store = null) =>
        Akka.Actor.Props.Create(() => new RoomDirectoryActor(settings, store));
}

internal sealed class RoomDirectoryActor : ReceiveActor
{
    private readonly Dictionary<string, IActorRef> _rooms = new(StringComparer.Ordinal);
    // In a cluster: rooms on other nodes that asked for a room not started here yet.
    private readonly Dictionary<string, HashSet<IActorRef>> _askedFor = new(StringComparer.Ordinal);
    private long _counter;

    public RoomDirectoryActor(ServerSettings settings, OfflineStore? store)
    {
        Receive<Room.Join>(join =>
        {
            if (!_rooms.TryGetValue(join.Room, out var room))
            {
                // Actor names have a restricted alphabet; the room's own name lives in the actor's state.
                room = Context.ActorOf(Room.Props(join.Room, settings, store), $"room-{++_counter}");
                _rooms[join.Room] = room;
                // Whoever asked before the room existed here meets it now.
                if (_askedFor.Remove(join.Room, out var askers))
                {
                    foreach (var asker in askers)
                        room.Tell(new RoomSpan.Find(join.Room, asker));
                }
            }
            room.Forward(join);
        });
        Receive<RoomSpan.Find>(find =>
        {
            if (_rooms.TryGetValue(find.Room, out var room))
            {
                room.Forward(find);
                return;
            }
            if (!_askedFor.TryGetValue(find.Room, out var askers))
                _askedFor[find.Room] = askers = [];
            askers.Add(find.RoomRef);
            find.RoomRef.Tell(new RoomSpan.NotHere(find.Room));
        });
    }
}
