using Akka.Actor;

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
            }
            room.Forward(join);
        });
    }
}
