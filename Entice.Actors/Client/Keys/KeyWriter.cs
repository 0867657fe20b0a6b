using Akka.Actor;
using Entice.Crypto.Storage;

namespace Entice.Client.Keys;

/// <summary>
/// The crypto actor's disk: writes the pin log's changes (<c>pins.log</c>), the sender keys (<c>senderkeys.bin</c>), the session state (<c>sessions.bin</c>) and the signed prekey's age
/// (<see cref="CryptoAgent.PrekeyInfoFileName"/>) off the crypto actor's thread, on the dispatcher
/// <see cref="DispatcherId"/> (hocon/client.conf), and says when each write is done. Writes are numbered; one
/// that is older than what is already on disk is skipped (see <see cref="SessionFileGate"/>).
/// </summary>
public static class KeyWriter
{
    /// <summary>The dedicated dispatcher for key-file writes (falls back to the default one when not configured).</summary>
    public const string DispatcherId = "entice.client.key-writer-dispatcher";

    internal static Props Props(KeyDirectory keys, SessionFileGate gate, Action? beforeWrite, Action? beforeSync = null) =>
        Akka.Actor.Props.Create(() => new KeyWriterActor(keys, gate, beforeWrite, beforeSync));

    /// <summary>
    /// Write <paramref name="Pins"/> first when given (the pin log's appends or rewrite, in order), then the
    /// prekey record when given, then <paramref name="Sessions"/> (owned by the writer from now on, zeroed after
    /// the write). <paramref name="SenderKeys"/>, when given, is the sender-key state (<c>senderkeys.bin</c>), written
    /// before the sessions and zeroed after the write too. <paramref name="Durable"/> false writes the two state
    /// files without fsync (temp file and rename: they survive a crash of the process, not a power cut) and
    /// <see cref="Saved"/> comes at once; a later <see cref="Sync"/> or durable save makes them durable.
    /// </summary>
    public sealed record Save(long Generation, byte[] Sessions, string? PrekeyInfo, Action? Pins = null, byte[]? SenderKeys = null, bool Durable = true)
    {
        public override string ToString() => $"Save {{ Generation = {Generation}, {Sessions.Length} bytes, sender keys {SenderKeys?.Length ?? 0} bytes, {(Durable ? "durable" : "not flushed")} }}";
    }

    /// <summary>Flush what the saves so far left in the page cache (sessions.bin, senderkeys.bin) to disk; no answer.</summary>
    public sealed record Sync
    {
        public static readonly Sync Instance = new();
    }

    /// <summary>Everything up to <paramref name="Generation"/> is on disk.</summary>
    public sealed record Saved(long Generation);

    /// <summary>The write of <paramref name="Generation"/> failed; <paramref name="Error"/> names the problem (never any content).</summary>
    public sealed record SaveFailed(long Generation, string Error);
}
