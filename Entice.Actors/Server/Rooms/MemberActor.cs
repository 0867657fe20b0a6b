using Akka.Actor;
using Entice.Wire;

namespace Entice.Server.Rooms;

/// <summary>
/// One state. Stamps the authenticated member name and the room on what the client sends (a client
/// cannot speak as someone else). If the transport goes, the member goes.
/// </summary>
internal sealed class MemberActor : ReceiveActor
{
    public MemberActor(string room, MemberInfo info, IActorRef transport)
    {
        var member = info.Name;
        Context.Watch(transport);

        Receive<Member.Publish>(p =>
            Context.Parent.Tell(new Room.Route(p.Envelope with { Room = room, Sender = member })));

        Receive<Member.Leave>(_ => Context.Parent.Tell(new Room.Leave(member)));
        Receive<Member.Reattach>(_ => Context.Parent.Tell(new Room.Rejoin(info, transport)));
        Receive<Member.Drain>(d => Context.Parent.Tell(new Room.Drain(room, d.ReplyTo)));
        Receive<Member.Away>(a => Context.Parent.Tell(new Room.Away(member, a.ReplyTo)));

        // The connection is gone: so is the member. The room sees this member actor stop.
        Receive<Terminated>(t => t.ActorRef.Equals(transport), _ => Context.Stop(Self));
    }
}
