using Akka.Actor;
using Entice.Wire;

namespace Entice.Server.Rooms;

/// <summary>What <see cref="RoomSpanLink"/> asks of its room: calls on the room's thread, no message hop.</summary>
internal interface IRoomSpanHost
{
    /// <summary>A member is no longer present on the node that told us; the room decides whether they are away or left.</summary>
    void NoLongerHere(MemberInfo member, bool leftForGood);

    /// <summary>A member is present on another node.</summary>
    void PresentElsewhere(MemberInfo member);

    /// <summary>Hands a local member what waits for them in the store.</summary>
    void HandOverStored(string name);

    /// <summary>Tells a sender its envelope was taken.</summary>
    void Acknowledge(IActorRef senderTransport, Envelope envelope);
}
