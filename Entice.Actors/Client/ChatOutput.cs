using Entice.Wire;

namespace Entice.Client;

/// <summary>
/// The ways out of the chat actor's parts (<see cref="Messages.Outgoing"/>, <see cref="Messages.Incoming"/>,
/// <see cref="Rooms.RoomSync"/>, <see cref="Commands.CommandRunner"/>): the actor implements it, so each part
/// is a plain class whose inputs are method calls and whose outputs are these calls, with no extra hop.
/// </summary>
internal interface IChatOutput
{
    /// <summary>To the current connection at once, unpaced (nothing when there is none).</summary>
    void ToServer(WireMessage message);

    /// <summary>To the crypto actor.</summary>
    void ToCrypto(object request);

    /// <summary>A timer: <paramref name="message"/> back to the chat actor after <paramref name="delay"/> (one per <paramref name="key"/>).</summary>
    void Later(string key, object message, TimeSpan delay);
}
