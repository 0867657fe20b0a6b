using Akka.Actor;

namespace Entice.Client;

/// <summary>
/// The client's root actor: it owns and watches the view, the crypto actor and the chat actor (which
/// owns the connection), forwards what the program sends (<see cref="ChatClient.UserLine"/>,
/// <see cref="ChatClient.EndOfInput"/>) to the chat actor, and decides what a failure costs:
/// <list type="bullet">
/// <item>chat: resumed. Its state (the outbox of unacknowledged ciphertext, the roster, what is being
/// decrypted) lives only in that instance, and a restart would lose messages the user typed; its
/// handlers never throw on what the relay sends, so a failure is a bug in handling one message,
/// which is dropped.</item>
/// <item>crypto: restarted; it reloads its keys and sessions from the key directory, where every
/// change was saved before any answer that depended on it left the actor.</item>
/// <item>view: restarted; it holds nothing.</item>
/// </list>
/// A child that fails more than <see cref="MaxFailures"/> times a minute, or cannot be restarted, is
/// stopped; then the client stops: exit code 1 and one line naming the actor and the error.
/// </summary>
public static class ClientRoot
{
    public const int MaxFailures = 10;

    /// <param name="crypto">The crypto actor's props (see <see cref="CryptoAgent.Props(string, Crypto.IdentityKeys, Crypto.KeyDirectory, CryptoAgent.Options)"/>).</param>
    /// <param name="view">The view actor's props; it completes <paramref name="exit"/> on <see cref="StoppedEvent"/>.</param>
    /// <param name="exit">Completed with 1 by the root itself when the view is gone.</param>
    /// <param name="memory">Optional: an actor told every event too, that remembers the rooms
    /// (<see cref="Memory.MemoryKeeper"/>).</param>
    public static Props Props(ClientSettings settings, Props crypto, Props view, TaskCompletionSource<int> exit, Props? memory = null) =>
        Akka.Actor.Props.Create(() => new ClientRootActor(settings, crypto, view, exit, memory));

    /// <summary>Asks the root for its children (answered with <see cref="Children"/>), for tests.</summary>
    public sealed record GetChildren;

    public sealed record Children(IActorRef View, IActorRef Crypto, IActorRef Chat);
}
