using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Entice.Client.History;
using Entice.Crypto.Primitives;
using Entice.Crypto.Storage;
using Entice.Tests.Support;
using Xunit.Abstractions;

namespace Entice.Tests.Client.History;

public sealed class HistoryStoreSpecs(ITestOutputHelper output) : IDisposable
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);
    private readonly TempDirs _dirs = new();
    private readonly List<string> _warnings = [];
    private DateTimeOffset _now = Noon;

    public void Dispose() => _dirs.Dispose();

    private HistoryStore Open(string dir, byte[] key, HistorySettings? settings = null) =>
        HistoryStore.Open(dir, key, settings ?? new HistorySettings(), _warnings.Add, () => _now);

    private static KeptMessage Message(string text, string conversation = "#lobby", string from = "bob", DateTimeOffset? at = null, bool own = false) =>
        new(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)), conversation, from, text, at ?? Noon, own, conversation.StartsWith('@'), Delivery.None);

    private static string[] Files(string dir) => Directory.GetFiles(dir, "*.hist");

    [Fact]
    public void Messages_states_and_typed_lines_come_back_after_a_restart()
    {
        var dir = _dirs.New();
        var key = RandomNumberGenerator.GetBytes(32);
        var own = Message("my secret plan", own: true, from: "alice");
        using (var store = Open(dir, key))
        {
            store.Append(Message("hello alice"));
            store.Append(own);
            store.MarkDelivery("#lobby", own.Id, Delivery.Sent);
            store.MarkDelivery("#lobby", own.Id, Delivery.Delivered);
            store.Append(Message("psst", "@bob"));
            store.AppendInput("/join games");
            store.AppendInput("my secret plan");
        }
        using var again = Open(dir, key);
        var kept = again.LoadAll();
        Assert.Equal(["hello alice", "my secret plan"], kept.Conversations["#lobby"].Select(m => m.Text));
        Assert.Equal(Delivery.Delivered, kept.Conversations["#lobby"][1].Delivery);
        Assert.True(kept.Conversations["#lobby"][1].Own);
        Assert.Equal("psst", Assert.Single(kept.Conversations["@bob"]).Text);
        Assert.Equal(["/join games", "my secret plan"], kept.Input);
        Assert.Empty(kept.Problems);
    }

    [Fact]
    public void Query_gives_the_newest_before_a_time_oldest_first()
    {
        var dir = _dirs.New();
        using var store = Open(dir, RandomNumberGenerator.GetBytes(32));
        for (var i = 0; i < 10; i++)
            store.Append(Message($"m{i}", at: Noon.AddMinutes(i)));
        Assert.Equal(["m7", "m8", "m9"], store.Query("#lobby", 3).Select(m => m.Text));
        Assert.Equal(["m3", "m4"], store.Query("#lobby", 2, Noon.AddMinutes(5)).Select(m => m.Text));
        Assert.Empty(store.Query("#elsewhere", 5));
    }

    [Fact]
    public void Nothing_is_on_disk_in_plaintext_and_every_file_is_private()
    {
        var dir = _dirs.New();
        using (var store = Open(dir, RandomNumberGenerator.GetBytes(32)))
        {
            store.Append(Message("the launch code is 0000", "#secretroom"));
            store.AppendInput("typed password hunter2");
        }
        foreach (var file in Files(dir))
        {
            var bytes = File.ReadAllBytes(file);
            foreach (var secret in new[] { "launch code", "hunter2", "secretroom", "bob" })
                Assert.Equal(-1, bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(secret)));
            if (!OperatingSystem.IsWindows())
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        }
        Assert.Equal(2, Files(dir).Length);
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(dir));
    }

    [Fact]
    public void The_history_key_needs_the_passphrase_and_another_key_reads_nothing()
    {
        var keyDir = _dirs.New();
        var keys = new KeyDirectory(keyDir, "right horse", PassphraseParameters.Cheap);
        keys.LoadOrCreateIdentity(out _).Dispose();
        var key = HistoryKey.Derive(keys);
        Assert.Equal(key, HistoryKey.Derive(new KeyDirectory(keyDir, "right horse", PassphraseParameters.Cheap)));
        Assert.Throws<CryptoException>(() => HistoryKey.Derive(new KeyDirectory(keyDir, "wrong horse", PassphraseParameters.Cheap)));
        Assert.Throws<CryptoException>(() => HistoryKey.Derive(new KeyDirectory(keyDir)));

        var dir = Path.Combine(keyDir, HistoryStore.DirectoryName);
        using (var store = Open(dir, key))
            store.Append(Message("for my eyes only"));
        using var other = Open(dir, RandomNumberGenerator.GetBytes(32));
        var kept = other.LoadAll();
        Assert.Empty(kept.Conversations);
        Assert.NotEmpty(kept.Problems);
        // A key that cannot read a file leaves it alone: the right key still reads it afterwards.
        using var right = Open(dir, key);
        Assert.Equal("for my eyes only", Assert.Single(right.LoadAll().Conversations["#lobby"]).Text);
    }

    [Fact]
    public void An_altered_record_is_skipped_with_a_warning_and_the_others_are_read()
    {
        var dir = _dirs.New();
        var key = RandomNumberGenerator.GetBytes(32);
        using (var store = Open(dir, key))
        {
            store.Append(Message("first"));
            store.Append(Message("second"));
            store.Append(Message("third"));
        }
        var file = Assert.Single(Files(dir));
        var bytes = File.ReadAllBytes(file);
        var recordSize = (bytes.Length - 5) / 3;
        bytes[5 + recordSize + (recordSize / 2)] ^= 0x40; // inside the second record's ciphertext
        File.WriteAllBytes(file, bytes);
        using var again = Open(dir, key);
        var kept = again.LoadAll();
        Assert.Equal(["first", "third"], kept.Conversations["#lobby"].Select(m => m.Text));
        Assert.Contains(kept.Problems, p => p.Contains("does not open", StringComparison.Ordinal));
        Assert.NotEmpty(_warnings);
    }

    [Fact]
    public void A_damaged_tail_is_skipped_and_later_records_still_read()
    {
        var dir = _dirs.New();
        var key = RandomNumberGenerator.GetBytes(32);
        using (var store = Open(dir, key))
        {
            store.Append(Message("kept one"));
            store.Append(Message("cut short"));
        }
        var file = Assert.Single(Files(dir));
        var bytes = File.ReadAllBytes(file);
        File.WriteAllBytes(file, bytes[..^7]); // a crash in the middle of the last write
        using (var again = Open(dir, key))
        {
            var kept = again.LoadAll();
            Assert.Equal(["kept one"], kept.Conversations["#lobby"].Select(m => m.Text));
            Assert.Contains(kept.Problems, p => p.Contains("damaged tail", StringComparison.Ordinal));
            again.Append(Message("after the repair"));
        }
        using var third = Open(dir, key);
        var after = third.LoadAll();
        Assert.Equal(["kept one", "after the repair"], after.Conversations["#lobby"].Select(m => m.Text));
        Assert.Empty(after.Problems);
    }

    [Fact]
    public void Garbage_files_never_throw()
    {
        var dir = _dirs.New();
        var key = RandomNumberGenerator.GetBytes(32);
        Directory.CreateDirectory(dir);
        var random = new Random(18);
        for (var i = 0; i < 50; i++)
        {
            var junk = new byte[random.Next(0, 300)];
            random.NextBytes(junk);
            if (i % 2 == 0 && junk.Length >= 9)
            {
                "ENTH\u0001"u8.CopyTo(junk);
                junk[5] = 0;
                junk[6] = 0;
            }
            File.WriteAllBytes(Path.Combine(dir, $"junk{i}.hist"), junk);
        }
        using var store = Open(dir, key);
        Assert.Empty(store.LoadAll().Conversations);
        for (var i = 0; i < 2000; i++)
        {
            var junk = new byte[random.Next(0, 120)];
            random.NextBytes(junk);
            if (junk.Length > 0)
                junk[0] = 1;
            HistoryRecord.TryDecode(junk, out _);
        }
    }

    [Fact]
    public void Retention_drops_what_is_older_than_keep_and_rewrites_the_file()
    {
        var dir = _dirs.New();
        var key = RandomNumberGenerator.GetBytes(32);
        var settings = new HistorySettings { Keep = TimeSpan.FromDays(30) };
        using (var store = Open(dir, key, settings))
        {
            store.Append(Message("old news", at: Noon));
            store.Append(Message("fresh", at: Noon.AddDays(20)));
            store.AppendInput("typed long ago");
        }
        var size = new FileInfo(Assert.Single(Files(dir), f => !f.EndsWith(HistoryStore.InputFileName, StringComparison.Ordinal))).Length;
        _now = Noon.AddDays(31);
        using var later = Open(dir, key, settings);
        var kept = later.LoadAll();
        Assert.Equal(["fresh"], kept.Conversations["#lobby"].Select(m => m.Text));
        Assert.True(new FileInfo(later.Directory + "/" + later.FileOf("#lobby")).Length < size);
    }

    [Fact]
    public void Keep_zero_keeps_nothing_and_deletes_what_was_kept()
    {
        var dir = _dirs.New();
        var key = RandomNumberGenerator.GetBytes(32);
        using (var store = Open(dir, key))
        {
            store.Append(Message("hello"));
            store.AppendInput("hello");
        }
        Assert.Equal(2, Files(dir).Length);
        using var off = Open(dir, key, new HistorySettings { Keep = TimeSpan.Zero });
        Assert.Empty(Files(dir));
        off.Append(Message("not kept"));
        Assert.Empty(Files(dir));
        Assert.Empty(off.LoadAll().Conversations);
    }

    [Fact]
    public void A_conversation_keeps_only_its_newest_messages()
    {
        var dir = _dirs.New();
        var key = RandomNumberGenerator.GetBytes(32);
        var settings = new HistorySettings { MaxPerConversation = 5 };
        using var store = Open(dir, key, settings);
        for (var i = 0; i < 23; i++)
            store.Append(Message($"m{i}", at: Noon.AddSeconds(i)));
        var read = store.HistoryFileRecords("#lobby");
        Assert.True(read <= 2 * 5 + 1, $"{read} records on disk");
        Assert.Equal(["m18", "m19", "m20", "m21", "m22"], store.LoadAll().Conversations["#lobby"].Select(m => m.Text));
    }

    [Fact]
    public async Task Forget_deletes_a_conversation_and_what_was_queued_for_it()
    {
        var dir = _dirs.New();
        var key = RandomNumberGenerator.GetBytes(32);
        using var store = Open(dir, key);
        await using var writer = new HistoryWriter(store, _warnings.Add);
        writer.Append(Message("in lobby"));
        writer.Append(Message("elsewhere", "#games"));
        writer.Forget("#lobby");
        writer.Append(Message("after forgetting"));
        await writer.FlushAsync();
        Assert.Equal(["after forgetting"], store.Read("#lobby").Select(m => m.Text));
        Assert.Equal(["elsewhere"], store.Read("#games").Select(m => m.Text));
        writer.Forget("#lobby");
        await writer.FlushAsync();
        Assert.False(File.Exists(Path.Combine(dir, store.FileOf("#lobby"))));
    }

    [Fact]
    public void Settings_come_from_the_config_with_30_days_by_default()
    {
        var defaults = HistorySettings.FromConfig(Entice.Config.EnticeConfig.Client(null));
        Assert.Equal(TimeSpan.FromDays(30), defaults.Keep);
        var off = HistorySettings.FromConfig(Akka.Configuration.ConfigurationFactory.ParseString("entice.client.history.keep = 0"));
        Assert.False(off.Enabled);
        Assert.Throws<FormatException>(() => HistorySettings.FromConfig(Akka.Configuration.ConfigurationFactory.ParseString("entice.client.history.max-per-conversation = 0")));
    }

    [Fact]
    public void Loading_ten_thousand_kept_messages()
    {
        var dir = _dirs.New();
        var key = RandomNumberGenerator.GetBytes(32);
        using (var store = Open(dir, key))
        {
            var batch = Enumerable.Range(0, 10_000)
                .Select(i => new HistoryRecord(HistoryRecordKind.Message, Message($"message number {i} with a little text to make it realistic", at: Noon.AddSeconds(i))))
                .ToList();
            store.Write(batch);
        }
        // What the terminal UI does at start: read and open the file, then fill the pane.
        using var again = Open(dir, key);
        var clock = Stopwatch.StartNew();
        var kept = again.LoadAll();
        var loaded = clock.Elapsed;
        var writer = new HistoryWriter(again);
        var presenter = new Entice.ClientNode.Ui.Presentation.ChatPresenter("alice", "127.0.0.1:1", () => Noon, TimeZoneInfo.Utc);
        presenter.AttachHistory(writer, kept);
        presenter.Apply(new Entice.Client.ReadyEvent("alice", "lobby", "d672 853a"));
        clock.Stop();
        Assert.Equal(10_000, kept.MessageCount);
        Assert.Contains(presenter.Lines, l => l.Text.Contains("message number 9999 ", StringComparison.Ordinal));
        var report = $"HISTORY-LOAD 10,000 kept messages: read and opened in {loaded.TotalMilliseconds:0} ms, in the pane after {clock.Elapsed.TotalMilliseconds:0} ms";
        output.WriteLine(report);
        Console.WriteLine(report);
    }
}
