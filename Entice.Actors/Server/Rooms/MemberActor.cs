using Akka.Actor;
using Entice.Wire;

namespace Entice.Server.Rooms;

/// <summary>
/// One state. Stamps the authenticated member name and the room on what the client sends (a client
/// cannot speak as someone else). If the transport goes, the member goes. An <see cref="UntypedActor"/>
/// with one switch, not a ReceiveActor: there is one per member per room, and a ReceiveActor's handler
/// objects cost about 1 KiB more per instance (footprint benchmark), which at 10,000 idle connections
/// is 10 MB (issue 17).
/// </summary>
internal sealed class MemberActor(string room, MemberInfo info, IActorRef transport) : UntypedActor
{
    protected override void PreStart() => Context.Watch(transport);

    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case Member.Publish p:
                Context.Parent.Tell(new Room.Route(p.Envelope with { Room = room, Sender = info.Name }));
                break;
            case Member.Leave:
                Context.Parent.Tell(new Room.Leave(info.Name));
                break;
            case Member.Reattach:
                Context.Parent.Tell(new Room.Rejoin(info, transport));
                break;
            case Member.Drain d:
                Context.Parent.Tell(new Room.Drain(room, d.ReplyTo));
                break;
            case Member.Away a:
                Context.Parent.Tell(new Room.Away(info.Name, a.ReplyTo));
                break;
            // The connection is gone: so is the member. The room sees this member actor stop.
            case Terminated t when t.ActorRef.Equals(transport):
                Context.Stop(Self);
                break;
            default:
                Unhandled(message);
                break;
        }
    }
}
