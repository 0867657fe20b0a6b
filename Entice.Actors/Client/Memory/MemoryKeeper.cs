using Akka.Actor;

namespace Entice.Client.Memory;

/// <summary>
/// Keeps a client's <see cref="ClientMemory"/> up to date with the rooms it is in: it is told every
/// <see cref="ChatEvent"/> the client shows and writes the file when the rooms change (a room entered,
/// a room left with <c>/leave</c>). The write runs off the actor's thread; one at a time, the newest
/// state last. It never sees a message's text (it keeps only room names).
/// </summary>
public static class MemoryKeeper
{
    public static Props Props(string keyDir, ClientMemory initial) =>
        Akka.Actor.Props.Create(() => new MemoryKeeperActor(keyDir, initial));
}
