using Akka.Actor;
using Entice.Server.Cluster;
using Entice.Server.Store;

namespace Entice.Server.Rooms;

/// <summary>
/// Finds or creates the room actor for a room name and forwards joins to it. A room nobody is connected
/// to asks to stop after its idle timeout (<see cref="Room.Idle"/>); while it decides, joins and
/// lookups for it wait here, and go to it (it stays) or to a new room actor (it stopped).
/// </summary>
public static class RoomDirectory
{
    public static Props Props(ServerSettings settings, IActorRef? store = null) =>
        Akka.Actor.Props.Create(() => new RoomDirectoryActor(settings, store));

    /// <summary>Answered with <see cref="RoomCount"/>: how many room actors are running.</summary>
    public sealed record GetRoomCount;

    public sealed record RoomCount(int Count);
}

internal sealed class RoomDirectoryActor : ReceiveActor
{
    private readonly Dictionary<string, IActorRef> _rooms = new(StringComparer.Ordinal);
    // Rooms asked to stop if idle, and what arrived for them meanwhile (replayed once they answer).
    private readonly Dictionary<string, List<(object Message, IActorRef Sender)>> _stopping = new(StringComparer.Ordinal);
    // In a cluster: rooms on other nodes that asked for a room not started here yet.
    private readonly Dictionary<string, HashSet<IActorRef>> _askedFor = new(StringComparer.Ordinal);
    private long _counter;

    public RoomDirectoryActor(ServerSettings settings, IActorRef? store)
    {
        Receive<Room.Join>(join =>
        {
            if (HoldWhileStopping(join.Room, join))
                return;
            if (!_rooms.TryGetValue(join.Room, out var room))
            {
                // Actor names have a restricted alphabet; the room's own name lives in the actor's state.
                room = Context.ActorOf(Room.Props(join.Room, settings, store), $"room-{++_counter}");
                Context.Watch(room);
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
        Receive<Room.Idle>(idle =>
        {
            if (_rooms.TryGetValue(idle.Room, out var room) && room.Equals(Sender) && !_stopping.ContainsKey(idle.Room))
            {
                _stopping[idle.Room] = [];
                room.Tell(new Room.StopIfIdle());
            }
        });
        Receive<Room.Busy>(busy =>
        {
            if (_stopping.Remove(busy.Room, out var held))
                Replay(held);
        });
        Receive<Terminated>(t =>
        {
            var name = _rooms.FirstOrDefault(kv => kv.Value.Equals(t.ActorRef)).Key;
            if (name is null)
                return;
            _rooms.Remove(name);
            if (_stopping.Remove(name, out var held))
                Replay(held); // to a new room actor, started from the store
        });
        Receive<RoomDirectory.GetRoomCount>(_ => Sender.Tell(new RoomDirectory.RoomCount(_rooms.Count)));
        Receive<RoomSpan.Find>(find =>
        {
            if (HoldWhileStopping(find.Room, find))
                return;
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

    private bool HoldWhileStopping(string room, object message)
    {
        if (!_stopping.TryGetValue(room, out var held))
            return false;
        held.Add((message, Sender));
        return true;
    }

    private void Replay(List<(object Message, IActorRef Sender)> held)
    {
        foreach (var (message, sender) in held)
            Self.Tell(message, sender);
    }
}
