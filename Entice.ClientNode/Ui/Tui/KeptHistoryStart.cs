using System.Diagnostics;
using Entice.Client.History;
using Entice.Crypto.Primitives;
using Entice.Crypto.Storage;
using Serilog;
using Entice.ClientNode.Ui.Presentation;

namespace Entice.ClientNode.Ui.Tui;

/// <summary>
/// At the terminal UI's start: open the key directory's kept history (<c>KEY-DIR/history</c>), load it into
/// the presenter and start its writer. A history that cannot be opened costs the history (a warning in
/// client.log and a line in the pane), never the client.
/// </summary>
internal static class KeptHistoryStart
{
    public static (HistoryStore? Store, HistoryWriter? Writer) Open(Akka.Configuration.Config config, KeyDirectory keys, ChatPresenter presenter)
    {
        if (OpenStore(config, keys) is not { } store)
            return (null, null);
        try
        {
            var clock = Stopwatch.StartNew();
            var kept = store.LoadAll();
            var writer = new HistoryWriter(store, Warn);
            presenter.AttachHistory(writer, kept);
            Log.Information("kept history: {Messages} messages in {Conversations} conversations loaded in {Ms} ms",
                kept.MessageCount, kept.Conversations.Count, clock.ElapsedMilliseconds);
            return (store, writer);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptoException or FormatException)
        {
            Log.Warning("kept history unavailable: {Error}", e.Message);
            store.Dispose();
            return (null, null);
        }
    }

    /// <summary>
    /// The key directory's history store (every mode uses the same one: same files, same key, same
    /// retention), or null when nothing is kept (keep = 0) or it cannot be opened (a warning says why).
    /// </summary>
    public static HistoryStore? OpenStore(Akka.Configuration.Config config, KeyDirectory keys)
    {
        HistoryStore? store = null;
        try
        {
            var settings = HistorySettings.FromConfig(config);
            var key = HistoryKey.Derive(keys);
            try
            {
                store = HistoryStore.Open(Path.Combine(keys.Path, HistoryStore.DirectoryName), key, settings, Warn);
            }
            finally
            {
                System.Security.Cryptography.CryptographicOperations.ZeroMemory(key);
            }
            if (!settings.Enabled)
            {
                store.Dispose();
                return null;
            }
            return store;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptoException or FormatException)
        {
            Log.Warning("kept history unavailable: {Error}", e.Message);
            store?.Dispose();
            return null;
        }
    }

    public static async Task CloseAsync(HistoryStore? store, HistoryWriter? writer)
    {
        if (writer is not null)
            await writer.DisposeAsync().ConfigureAwait(false);
        store?.Dispose();
    }

    private static void Warn(string problem) => Log.Warning("kept history: {Problem}", problem);
}
