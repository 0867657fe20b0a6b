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

    // False after a write left without fsync, until a sync or a durable write flushed it.
    private bool _synced = true;

    public KeyWriterActor(KeyDirectory keys, SessionFileGate gate, Action? beforeWrite, Action? beforeSync)
    {
        Receive<KeyWriter.Save>(save =>
        {
            try
            {
                // The test seam for a slow disk: it runs where the write does, never on the crypto actor.
                beforeWrite?.Invoke();
                if (save.Durable)
                    beforeSync?.Invoke();
                gate.Write(save.Generation, () =>
                {
                    save.Pins?.Invoke();
                    if (save.PrekeyInfo is { } info)
                        WritePrekeyInfo(keys, info);
                    if (save.SenderKeys is { } senderKeys)
                        keys.SaveSenderKeys(senderKeys, save.Durable);
                    keys.SaveSessions(save.Sessions, save.Durable);
                    if (save.Durable && !_synced)
                        keys.SyncSaved(); // an earlier unflushed write of the file not rewritten here
                    _synced = save.Durable;
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
        Receive<KeyWriter.Sync>(_ =>
        {
            if (_synced)
                return;
            try
            {
                beforeSync?.Invoke();
                // Through the gate: no rename runs meanwhile, so what is flushed is what the names point to.
                gate.Sync(keys.SyncSaved);
                _synced = true;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // The next durable save or sync flushes them; the relay keeps what waits for it meanwhile.
                _log.Warning("Could not flush the key files to disk: {Error}", ex.Message);
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
