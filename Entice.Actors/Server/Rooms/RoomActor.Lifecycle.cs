using Akka.Actor;
using Akka.Event;

namespace Entice.Server.Rooms;

/// <summary>The room's start, restart (its member actors survive it) and how it supervises them.</summary>
internal sealed partial class RoomActor
{
    protected override void PreStart()
    {
        // On a lone node nobody is connected to a room that starts: everyone it remembers is away.
        _store?.LoadMembers(allAway: !_settings.Cluster.Enabled);
        StartSpan();
        WatchIdleness();
    }

    // Keep the children (the members' member actors) across a restart of the room itself (their names are
    // unique across instances, so new joins after a restart cannot collide with them)...
    // What was routed before the failure still goes out.
    protected override void PreRestart(Exception reason, object message)
    {
        FlushFanout();
        WriteRelayed();
        _log.Warning("Room {Room} failed ({Error}); restarting it with its members", _name, reason.GetType().Name);
    }

    protected override void PostStop()
    {
        FlushFanout();
        WriteRelayed(); // lines batched for the relay-log interval are not lost
    }

    // ... and rebuild the member list from them.
    protected override void PostRestart(Exception reason)
    {
        _store?.LoadMembers(allAway: false); // its members are still connected
        StartSpan();
        foreach (var member in Context.GetChildren())
            member.Tell(new Member.Reattach());
    }

    // A member actor's failure is a bug in handling one member's traffic: restart it, keep the member.
    protected override SupervisorStrategy SupervisorStrategy() =>
        new OneForOneStrategy(maxNrOfRetries: 10, withinTimeRange: TimeSpan.FromMinutes(1), localOnlyDecider: ex =>
        {
            _log.Warning("Member actor in room {Room} failed ({Error}); restarting it", _name, ex.GetType().Name);
            return Directive.Restart;
        });
}
