using Akka.Actor;
using Akka.Event;
using Entice.Crypto.Primitives;
using Entice.Crypto.Storage;

namespace Entice.Client.Keys;

/// <summary>
/// One state: takes <see cref="KeyWriter.Save"/> in order, writes, answers <see cref="KeyWriter.Saved"/> or
/// <see cref="KeyWriter.SaveFailed"/>. Blocking file I/O is its job, so it runs on its own dispatcher; the
/// crypto actor (its parent) keeps working meanwhile and holds the answers that depend on the write.
/// </summary>
internal sealed class KeyWriterActor : ReceiveActor
{
    private readonly ILoggingAdapter _log = Context.GetLogger();

    public KeyWriterActor(KeyDirectory keys, SessionFileGate gate, Action? beforeWrite)
    {
        Receive<KeyWriter.Save>(save =>
        {
            try
            {
                // The test seam for a slow disk: it runs where the write does, never on the crypto actor.
                beforeWrite?.Invoke();
                gate.Write(save.Generation, () =>
                {
                    save.Pins?.Invoke();
                    if (save.PrekeyInfo is { } info)
                        WritePrekeyInfo(keys, info);
                    if (save.SenderKeys is { } senderKeys)
                        keys.SaveSenderKeys(senderKeys);
                    keys.SaveSessions(save.Sessions);
                });
                Sender.Tell(new KeyWriter.Saved(save.Generation));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or CryptoException)
            {
                Sender.Tell(new KeyWriter.SaveFailed(save.Generation, ex.Message));
            }
            finally
            {
                Array.Clear(save.Sessions);
                if (save.SenderKeys is { } senderKeys)
                    Array.Clear(senderKeys);
            }
        });
    }

    private void WritePrekeyInfo(KeyDirectory keys, string info)
    {
        try
        {
            KeyFiles.WritePrivateFileAtomic(Path.Combine(keys.Path, CryptoAgent.PrekeyInfoFileName),
                System.Text.Encoding.ASCII.GetBytes(info), overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Only the prekey's age: it is re-recorded (as "now") at the next start.
            _log.Warning("Could not record the signed prekey's age: {Error}", ex.Message);
        }
    }
}
