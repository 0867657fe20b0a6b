using Akka.Actor;

namespace Entice.Client;

/// <summary>
/// The client's coordinator: drives the handshake and the room, turns user commands into work for the
/// crypto actor and the connection, and reports <see cref="ChatEvent"/>s to the view. It never sees a
/// key; it sees plaintext only on its way between the user and the crypto actor.
/// </summary>
public static class ChatClient
{
    /// <param name="view">Receives every <see cref="ChatEvent"/>, ending with one <see cref="StoppedEvent"/>.</param>
    public static Props Props(ClientSettings settings, IActorRef crypto, IActorRef view) =>
        Akka.Actor.Props.Create(() => new ChatClientActor(settings, crypto, view));

    /// <summary>
    /// A line the user typed. Plain text goes to <paramref name="Room"/>, or to the room joined last
    /// when null (line mode has no notion of a selected room; a windowed UI does).
    /// </summary>
    /// <param name="Tag">Chosen by the caller and echoed in the <see cref="SentEvent"/> of this line (a UI
    /// uses it to mark the line it already shows).</param>
    public sealed record UserLine(string Line, string? Room = null, string? Tag = null)
    {
        public override string ToString() => "UserLine";
    }

    /// <summary>The user's input ended: deliver what is pending, then stop.</summary>
    public sealed record EndOfInput;
}
