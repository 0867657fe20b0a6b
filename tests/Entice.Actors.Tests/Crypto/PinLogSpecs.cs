using System.Text;
using Entice.Tests.Support;
using Entice.Crypto.Identity;
using Entice.Crypto.Primitives;
using Entice.Crypto.Storage;

namespace Entice.Tests.Crypto;

/// <summary>pins.log: records, compaction, sealing under a passphrase, damage detection, migration from pins.json.</summary>
public sealed class PinLogSpecs : IDisposable
{
    private readonly TempDirs _dirs = new();
    private readonly IdentityKeys _bob = IdentityKeys.Create();
    private readonly IdentityKeys _newBob = IdentityKeys.Create();

    private string PinsFile(string dir) => Path.Combine(dir, KeyDirectory.PinsFileName);

    [Fact]
    public void Changing_one_pin_again_and_again_keeps_the_log_bounded_and_the_last_state_wins()
    {
        var dir = _dirs.New();
        var pins = new KeyDirectory(dir).Pins;
        pins.Check("bob", _bob.Public);
        long largest = 0;
        for (var i = 0; i < 500; i++)
        {
            pins.MarkVerified("bob");
            pins.Accept("bob", i % 2 == 0 ? _newBob.Public : _bob.Public);
            largest = Math.Max(largest, new FileInfo(PinsFile(dir)).Length);
        }

        pins.MarkVerified("bob");
        var reloaded = new KeyDirectory(dir).Pins;
        Assert.Equal(PinStatus.Same, reloaded.Check("bob", _bob.Public)); // the last Accept (i = 499)
        Assert.True(reloaded.IsVerified("bob"));
        Assert.True(largest < 70 * 200, $"the log grew to {largest} bytes for one name"); // compacted: at most ~2 x 1 + 64 records
    }

    [Fact]
    public void Deferred_writes_reach_the_file_only_when_run_in_order_and_a_lost_write_is_repaired_by_the_next()
    {
        var dir = _dirs.New();
        var carol = IdentityKeys.Create();
        var pins = new KeyDirectory(dir).Pins;
        pins.DeferWrites();
        Assert.Equal(PinStatus.New, pins.Check("bob", _bob.Public));
        Assert.Equal(PinStatus.Same, pins.Check("bob", _bob.Public)); // memory at once
        Assert.False(File.Exists(PinsFile(dir)));                     // the file only when the writes run

        // A write taken and lost (a failed disk): the next write must still leave a well-formed, complete log.
        _ = pins.TakeWrites();
        pins.WriteFailed();
        pins.MarkVerified("bob");
        pins.Check("carol", carol.Public);
        pins.TakeWrites()!.Invoke();
        var reloaded = new KeyDirectory(dir).Pins;
        Assert.True(reloaded.IsVerified("bob"));
        Assert.Equal(PinStatus.Same, reloaded.Check("carol", carol.Public));

        // Appends after the repair keep their positions.
        pins.Accept("bob", _newBob.Public);
        pins.TakeWrites()!.Invoke();
        Assert.Null(pins.TakeWrites());
        Assert.Equal(PinStatus.Same, new KeyDirectory(dir).Pins.Check("bob", _newBob.Public));
        carol.Dispose();
    }

    [Fact]
    public void Under_a_passphrase_records_are_sealed_and_an_altered_one_is_refused()
    {
        var dir = _dirs.New();
        var pins = new KeyDirectory(dir, "pw", PassphraseParameters.Cheap).Pins;
        pins.Check("bobby-the-member", _bob.Public);
        pins.MarkVerified("bobby-the-member");

        var bytes = File.ReadAllBytes(PinsFile(dir));
        Assert.True(bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes("bobby-the-member")) < 0);
        Assert.True(new KeyDirectory(dir, "pw", PassphraseParameters.Cheap).Pins.IsVerified("bobby-the-member"));
        Assert.Throws<CryptoException>(() => new KeyDirectory(dir).Pins); // sealed log, no passphrase given
        var wrong = new KeyDirectory(dir, "other", PassphraseParameters.Cheap).Validate();
        Assert.Equal(KeyDirectory.PinsFileName, wrong?.File);

        bytes[^1] ^= 0x80;
        File.WriteAllBytes(PinsFile(dir), bytes);
        var error = Assert.Throws<CryptoException>(() => new KeyDirectory(dir, "pw", PassphraseParameters.Cheap).Pins);
        Assert.Contains("record 2", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, "not a pin log")]
    [InlineData(1, "cut short")]
    public void A_truncated_or_foreign_file_is_refused(int cut, string reason)
    {
        var dir = _dirs.New();
        new KeyDirectory(dir).Pins.Check("bob", _bob.Public);
        var bytes = File.ReadAllBytes(PinsFile(dir));
        File.WriteAllBytes(PinsFile(dir), cut == 0 ? Encoding.ASCII.GetBytes("{\"bob\": {}}") : bytes[..^cut]);

        var error = Assert.Throws<CryptoException>(() => new KeyDirectory(dir).Pins);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Records_moved_to_another_position_are_refused()
    {
        var dir = _dirs.New();
        var pins = new KeyDirectory(dir).Pins;
        pins.Check("ab", _bob.Public);
        pins.Check("cd", _newBob.Public);
        var bytes = File.ReadAllBytes(PinsFile(dir));
        var recordSize = (bytes.Length - 6) / 2;
        byte[] swapped = [.. bytes[..6], .. bytes[(6 + recordSize)..], .. bytes[6..(6 + recordSize)]];
        File.WriteAllBytes(PinsFile(dir), swapped);

        Assert.Throws<CryptoException>(() => new KeyDirectory(dir).Pins);
    }

    [Fact]
    public void A_pins_json_from_an_earlier_version_is_moved_into_the_log()
    {
        var dir = _dirs.New();
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, KeyDirectory.LegacyPinsFileName),
            $"{{\"bob\": {{\"signingKey\": \"{Convert.ToBase64String(_bob.Public.SigningKey)}\", \"dhKey\": \"{Convert.ToBase64String(_bob.Public.DhKey)}\", \"verified\": true}}}}");

        var pins = new KeyDirectory(dir).Pins;

        Assert.True(pins.IsVerified("bob"));
        Assert.Equal(PinStatus.Same, pins.Check("bob", _bob.Public));
        Assert.False(File.Exists(Path.Combine(dir, KeyDirectory.LegacyPinsFileName)));
        Assert.True(new KeyDirectory(dir).Pins.IsVerified("bob"));
    }

    public void Dispose()
    {
        _bob.Dispose();
        _newBob.Dispose();
        _dirs.Dispose();
    }
}
