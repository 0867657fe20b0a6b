using Entice.Tests.Support;
using Entice.Client.Keys;
using Entice.Crypto.Identity;
using Entice.Crypto.Storage;

namespace Entice.Tests.Hostile;

/// <summary>
/// Attack 13 of issue 10: every new name the relay announced made the client rewrite and fsync the whole
/// pin file (2,000 throwaway joins: 6 s of CPU, quadratic). Now pinning a new name appends one record to
/// pins.log, in place: the file is never replaced for it, and what was written before is not touched.
/// </summary>
public sealed class Attack13PinningCostSpecs : IDisposable
{
    private readonly TempDirs _dirs = new();

    [Fact]
    public void Pinning_a_new_name_appends_one_record_in_place_instead_of_rewriting_the_file()
    {
        var dir = _dirs.New();
        var keys = new KeyDirectory(dir);
        using var someone = IdentityKeys.Create();
        for (var i = 0; i < 1000; i++)
            Assert.Equal(PinStatus.New, keys.Pins.Check($"joiner{i}", someone.Public));
        var file = Path.Combine(dir, KeyDirectory.PinsFileName);
        var before = File.ReadAllBytes(file);

        // A handle opened before: a file replaced by a new one (write a copy, rename) keeps showing the old
        // content through it; a file appended to shows the new record.
        using var held = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        Assert.Equal(PinStatus.New, keys.Pins.Check("one-more", someone.Public));

        var after = new byte[held.Length];
        held.ReadExactly(after);
        Assert.True(after.Length > before.Length, "the pin file was replaced, not appended to");
        Assert.True(after.Length - before.Length < 200, $"one pin wrote {after.Length - before.Length} bytes");
        Assert.Equal(before, after[..before.Length]);
        Assert.Equal(1001, new KeyDirectory(dir).Pins.Count);
    }

    [Fact]
    public void A_damaged_pin_log_is_detected_at_start_and_named_with_the_record()
    {
        var dir = _dirs.New();
        var keys = new KeyDirectory(dir);
        using var someone = IdentityKeys.Create();
        for (var i = 0; i < 5; i++)
            keys.Pins.Check($"member{i}", someone.Public);
        var file = Path.Combine(dir, KeyDirectory.PinsFileName);
        var bytes = File.ReadAllBytes(file);
        bytes[^30] ^= 0x01; // inside the last record's keys
        File.WriteAllBytes(file, bytes);

        var problem = new KeyDirectory(dir).Validate("alice");

        Assert.NotNull(problem);
        Assert.Equal(KeyDirectory.PinsFileName, problem.File);
        Assert.Contains("record 5", problem.Reason, StringComparison.Ordinal);
        Assert.Null(new KeyDirectory(_dirs.New()).Validate("alice")); // a fresh directory is fine
        var atStart = Assert.Throws<Entice.Client.Keys.KeyDirectoryCheck.DamagedFileException>(() => Entice.Client.Keys.KeyDirectoryCheck.Open(new KeyDirectory(dir), "alice"));
        Assert.StartsWith(Path.Combine(dir, KeyDirectory.PinsFileName) + " is damaged or unreadable (pins.log is corrupt: record 5", atStart.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _dirs.Dispose();
}
