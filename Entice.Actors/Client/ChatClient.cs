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
    /// <param name="connect">How a connection is opened; by default a <see cref="Transport.ServerConnection"/> child.
    /// Specs give a probe here.</param>
    public static Props Props(ClientSettings settings, IActorRef crypto, IActorRef view, ConnectionFactory? connect = null) =>
        Akka.Actor.Props.Create(() => new ChatClientActor(settings, crypto, view, connect ?? ChildConnection(settings)));

    /// <summary>
    /// Opens connection number <paramref name="generation"/>, trying the server at index
    /// <paramref name="firstServer"/> first; the chat actor watches what it returns and takes
    /// <see cref="Transport.ServerConnection"/>'s messages from it.
    /// </summary>
    public delegate IActorRef ConnectionFactory(IActorContext context, int firstServer, int generation);

    private static ConnectionFactory ChildConnection(ClientSettings settings) => (context, firstServer, generation) =>
        context.ActorOf(Transport.ServerConnection.Props(settings.LinkOptions(), context.Self, firstServer), $"connection-{generation}");

    /// <summary>
    /// A line the user typed (line mode): parsed once, by <see cref="UserCommand.Parse"/>. Plain text goes to <paramref name="Room"/>, or to the room joined last
    /// when null (line mode has no notion of a selected room; a windowed UI does).
    /// </summary>
    /// <param name="Tag">Chosen by the caller and echoed in the <see cref="SentEvent"/> of this line (a UI
    /// uses it to mark the line it already shows).</param>
    public sealed record UserLine(string Line, string? Room = null, string? Tag = null)
    {
        public override string ToString() => "UserLine";
    }

    /// <summary>
    /// A command the UI built (no text to parse again). <paramref name="Room"/> and <paramref name="Tag"/>
    /// as for <see cref="UserLine"/>.
    /// </summary>
    public sealed record Command(UserCommand What, string? Room = null, string? Tag = null)
    {
        public override string ToString() => $"Command {What}";
    }

    /// <summary>The user's input ended: deliver what is pending, then stop.</summary>
    public sealed record EndOfInput;
}
