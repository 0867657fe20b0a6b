using System.Security.Cryptography;
using System.Text;
using Entice.Crypto.Primitives;
using Entice.Crypto.Storage;
using NSec.Cryptography;

namespace Entice.Client.History;

/// <summary>
/// The client's kept history, per key directory (<c>KEY-DIR/history/</c>, mode 0700) and per conversation:
/// one append-only sealed file each (<see cref="HistoryFile"/>), named by a keyed hash of the conversation
/// (the names of rooms and peers are not on disk either), plus <c>input.hist</c> for typed lines. The key
/// comes from <see cref="HistoryKey"/>. Nothing is ever written in plaintext.
/// <para>
/// Bounded: a text is cut at 16 KiB, a conversation keeps its newest <see cref="HistorySettings.MaxPerConversation"/>
/// messages (a file is compacted when it holds twice that), and nothing older than <see cref="HistorySettings.Keep"/>
/// survives a load. Keep = 0 deletes every history file at open and keeps nothing.
/// </para>
/// Synchronous and thread-safe (one lock): the UI never calls it; <see cref="HistoryWriter"/> does, on its
/// own thread, and a reader (the start-up load, a future JSON-RPC <c>history</c> method) uses
/// <see cref="LoadAll"/>, <see cref="Read"/> and <see cref="Query"/>.
/// </summary>
public sealed class HistoryStore : IDisposable
{
    public const string DirectoryName = "history";
    public const string InputFileName = "input.hist";
    private const string Extension = ".hist";

    private static readonly byte[] NamesLabel = Encoding.ASCII.GetBytes("Entice/v1/history-file-names");

    private readonly object _gate = new();
    private readonly string _directory;
    private readonly Key _key;
    private readonly byte[] _namesKey;
    private readonly HistorySettings _settings;
    private readonly Func<DateTimeOffset> _now;
    private readonly Action<string> _warn;
    private readonly Dictionary<string, int> _records = new(StringComparer.Ordinal);
    private bool _disposed;

    private HistoryStore(string directory, ReadOnlySpan<byte> key, HistorySettings settings, Action<string>? warn, Func<DateTimeOffset>? now)
    {
        _directory = directory;
        _key = Key.Import(AeadAlgorithm.XChaCha20Poly1305, key, KeyBlobFormat.RawSymmetricKey);
        _namesKey = Kdf.Hkdf(key, KdfLabels.ZeroSalt, NamesLabel, 32);
        _settings = settings;
        _warn = warn ?? (_ => { });
        _now = now ?? (() => DateTimeOffset.UtcNow);
    }

    public HistorySettings Settings => _settings;

    public string Directory => _directory;

    /// <summary>
    /// Opens (creating, 0700) the history directory. With <see cref="HistorySettings.Enabled"/> false, every
    /// history file in it is deleted now.
    /// </summary>
    public static HistoryStore Open(string directory, ReadOnlySpan<byte> key, HistorySettings settings, Action<string>? warn = null, Func<DateTimeOffset>? now = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        ArgumentNullException.ThrowIfNull(settings);
        if (key.Length != HistoryKey.Size)
            throw new ArgumentException("The history key is 32 bytes.", nameof(key));
        KeyFiles.CreatePrivateDirectory(directory);
        var store = new HistoryStore(directory, key, settings, warn, now);
        if (!settings.Enabled)
            store.DeleteAll();
        return store;
    }

    /// <summary>The file a conversation's history is kept in (a keyed hash of its name).</summary>
    public string FileOf(string conversation)
    {
        ArgumentNullException.ThrowIfNull(conversation);
        var mac = Kdf.Hmac(_namesKey, StrictUtf8.GetBytes(conversation));
        return Convert.ToHexStringLower(mac.AsSpan(0, 16)) + Extension;
    }

    /// <summary>Everything kept (retention and bounds applied; files that needed it compacted).</summary>
    public KeptHistory LoadAll()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (!_settings.Enabled)
                return KeptHistory.Empty;
            var conversations = new Dictionary<string, IReadOnlyList<KeptMessage>>(StringComparer.Ordinal);
            var problems = new List<string>();
            foreach (var path in System.IO.Directory.EnumerateFiles(_directory, "*" + Extension))
            {
                var fileName = Path.GetFileName(path);
                if (fileName == InputFileName)
                    continue;
                var (conversation, messages) = LoadConversationFile(fileName, problems);
                if (conversation is not null && messages.Count > 0)
                    conversations[conversation] = messages;
            }
            var input = LoadInput(problems);
            foreach (var problem in problems)
                _warn(problem);
            return new KeptHistory(conversations, input, problems);
        }
    }

    /// <summary>The conversations with kept messages.</summary>
    public IReadOnlyList<string> Conversations() => [.. LoadAll().Conversations.Keys.Order(StringComparer.Ordinal)];

    /// <summary>One conversation's kept messages, oldest first.</summary>
    public IReadOnlyList<KeptMessage> Read(string conversation)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (!_settings.Enabled)
                return [];
            var problems = new List<string>();
            var fileName = FileOf(conversation);
            var (_, messages) = LoadConversationFile(fileName, problems, conversation);
            foreach (var problem in problems)
                _warn(problem);
            return messages;
        }
    }

    /// <summary>
    /// For a client asking for history (JSON-RPC <c>history</c>): the newest <paramref name="limit"/> kept
    /// messages of <paramref name="conversation"/> older than <paramref name="before"/> (all when null), oldest first.
    /// </summary>
    public IReadOnlyList<KeptMessage> Query(string conversation, int limit, DateTimeOffset? before = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        var all = Read(conversation);
        var older = before is { } b ? all.Where(m => m.At < b).ToList() : all.ToList();
        return older.Skip(Math.Max(0, older.Count - limit)).ToList();
    }

    public void Append(KeptMessage message) => Write([new HistoryRecord(HistoryRecordKind.Message, Bounded(message))]);

    /// <summary>An own message got further (the state is recorded; the message itself is not rewritten).</summary>
    public void MarkDelivery(string conversation, string id, Delivery delivery) =>
        Write([StateRecord(conversation, id, delivery)]);

    public void AppendInput(string line) => Write([InputRecord(line)]);

    /// <summary>Deletes a conversation's kept history.</summary>
    public void Forget(string conversation)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var fileName = FileOf(conversation);
            File.Delete(Path.Combine(_directory, fileName));
            _records.Remove(fileName);
        }
    }

    /// <summary>For specs: how many records a conversation's file holds now (bounded at twice the maximum).</summary>
    internal int HistoryFileRecords(string conversation)
    {
        lock (_gate)
            return HistoryFile.Read(Path.Combine(_directory, FileOf(conversation)), _key, FileOf(conversation)).Records.Count;
    }

    internal static HistoryRecord StateRecord(string conversation, string id, Delivery delivery) =>
        new(HistoryRecordKind.State, new KeptMessage(id, conversation, "", "", DateTimeOffset.UtcNow, true, false, delivery));

    internal static HistoryRecord InputRecord(string line) =>
        new(HistoryRecordKind.Input, new KeptMessage("", "", "", HistoryRecord.Bound(line), DateTimeOffset.UtcNow, true, false, Delivery.None));

    internal static KeptMessage Bounded(KeptMessage message) => message with { Text = HistoryRecord.Bound(message.Text), From = HistoryRecord.Bound(message.From) };

    /// <summary>Appends records (grouped per file), compacting a file that grew past its bound.</summary>
    internal void Write(IReadOnlyList<HistoryRecord> records)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (!_settings.Enabled || records.Count == 0)
                return;
            foreach (var group in records.GroupBy(r => r.Kind == HistoryRecordKind.Input ? InputFileName : FileOf(r.Message.Conversation)))
            {
                var path = Path.Combine(_directory, group.Key);
                HistoryFile.Append(path, _key, group.Key, group);
                var count = _records.GetValueOrDefault(group.Key, -1);
                if (count < 0)
                    count = HistoryFile.Read(path, _key, group.Key).Records.Count;
                else
                    count += group.Count();
                _records[group.Key] = count;
                var bound = group.Key == InputFileName ? Math.Max(1, _settings.MaxInputLines) : _settings.MaxPerConversation;
                if (count > 2 * bound)
                {
                    var problems = new List<string>();
                    if (group.Key == InputFileName)
                        LoadInput(problems);
                    else
                        LoadConversationFile(group.Key, problems);
                }
            }
        }
    }

    // Reads one conversation file: messages in order, delivery states applied, retention and the bound
    // applied; rewrites the file when that dropped anything (or its tail was damaged) and all else opened.
    private (string? Conversation, IReadOnlyList<KeptMessage> Messages) LoadConversationFile(string fileName, List<string> problems, string? expected = null)
    {
        var path = Path.Combine(_directory, fileName);
        var read = HistoryFile.Read(path, _key, fileName);
        problems.AddRange(read.Problems);
        var cutoff = _now() - _settings.Keep;
        var messages = new List<KeptMessage>();
        var byId = new Dictionary<string, int>(StringComparer.Ordinal);
        string? conversation = expected;
        foreach (var record in read.Records)
        {
            if (conversation is null)
            {
                if (FileOf(record.Message.Conversation) != fileName)
                    continue; // cannot happen unless written wrongly: the file name is bound in each record
                conversation = record.Message.Conversation;
            }
            if (record.Message.Conversation != conversation)
                continue;
            switch (record.Kind)
            {
                case HistoryRecordKind.Message when record.Message.At >= cutoff:
                    byId[record.Message.Id] = messages.Count;
                    messages.Add(record.Message);
                    break;
                case HistoryRecordKind.State when byId.TryGetValue(record.Message.Id, out var index):
                    if (record.Message.Delivery > messages[index].Delivery)
                        messages[index] = messages[index] with { Delivery = record.Message.Delivery };
                    break;
                default:
                    break; // expired, or a state of a message no longer kept
            }
        }
        if (messages.Count > _settings.MaxPerConversation)
        {
            messages.RemoveRange(0, messages.Count - _settings.MaxPerConversation);
        }
        // Rewritten when retention or the bound dropped messages, when state records outnumber the
        // messages (they are folded in), or when the tail was damaged (appends after it would be lost);
        // never when a record did not open (another key's file, or evidence of tampering, is left alone).
        var messageRecords = read.Records.Count(r => r.Kind == HistoryRecordKind.Message);
        var states = read.Records.Count - messageRecords;
        var worthRewriting = messageRecords != messages.Count || states > messages.Count || read.Problems.Count > 0;
        if (worthRewriting && read.Unopened == 0 && read.Records.Count + read.Problems.Count > 0)
            Rewrite(path, fileName, messages.Select(m => new HistoryRecord(HistoryRecordKind.Message, m)).ToList());
        else
            _records[fileName] = read.Records.Count;
        return (conversation, messages);
    }

    private List<string> LoadInput(List<string> problems)
    {
        var path = Path.Combine(_directory, InputFileName);
        var read = HistoryFile.Read(path, _key, InputFileName);
        problems.AddRange(read.Problems);
        var cutoff = _now() - _settings.Keep;
        var kept = read.Records.Where(r => r.Kind == HistoryRecordKind.Input && r.Message.At >= cutoff).ToList();
        if (kept.Count > _settings.MaxInputLines)
            kept.RemoveRange(0, kept.Count - _settings.MaxInputLines);
        if ((kept.Count < read.Records.Count || read.Problems.Count > 0) && read.Unopened == 0)
            Rewrite(path, InputFileName, kept);
        else
            _records[InputFileName] = read.Records.Count;
        return kept.Select(r => r.Message.Text).ToList();
    }

    private void Rewrite(string path, string fileName, List<HistoryRecord> records)
    {
        try
        {
            HistoryFile.Rewrite(path, _key, fileName, records);
            _records[fileName] = records.Count;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _warn($"{fileName}: could not be compacted ({e.GetType().Name})");
        }
    }

    private void DeleteAll()
    {
        foreach (var path in System.IO.Directory.EnumerateFiles(_directory, "*" + Extension))
            File.Delete(path);
        _records.Clear();
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
                return;
            _disposed = true;
            _key.Dispose();
            CryptographicOperations.ZeroMemory(_namesKey);
        }
    }
}
