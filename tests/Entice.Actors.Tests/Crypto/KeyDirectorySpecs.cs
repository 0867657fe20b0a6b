using Entice.Crypto.Identity;
using Entice.Crypto.Primitives;
using Entice.Crypto.Storage;

namespace Entice.Tests.Crypto;

public sealed class KeyDirectorySpecs : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), "entice-keys-" + Guid.NewGuid().ToString("N"));

    private string KeyPath => Path.Combine(root, "keys");

    public void Dispose()
    {
        if (Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void The_identity_is_created_once_and_the_same_identity_comes_back_on_reload()
    {
        using var first = new KeyDirectory(KeyPath).LoadOrCreateIdentity(out var createdFirst);
        using var second = new KeyDirectory(KeyPath).LoadOrCreateIdentity(out var createdSecond);

        Assert.True(createdFirst);
        Assert.False(createdSecond);
        Assert.True(first.Public.SameKeysAs(second.Public));
        Assert.True(second.Public.HasValidBinding());
        Assert.Equal(64, new FileInfo(Path.Combine(KeyPath, KeyDirectory.IdentityFileName)).Length);
        // The reloaded key signs like the original.
        Assert.Equal(first.Sign([1, 2, 3]), second.Sign([1, 2, 3]));
    }

    [Fact]
    public void The_identity_file_is_readable_by_its_owner_only()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // Unix file modes only; the project runs on Linux.
        }

        using var identity = new KeyDirectory(KeyPath).LoadOrCreateIdentity(out _);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(KeyPath, KeyDirectory.IdentityFileName)));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(KeyPath));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(63)]
    [InlineData(65)]
    public void A_corrupt_identity_file_is_refused_with_a_clear_message(int length)
    {
        Directory.CreateDirectory(KeyPath);
        var content = Enumerable.Repeat((byte)0xAB, length).ToArray();
        File.WriteAllBytes(Path.Combine(KeyPath, KeyDirectory.IdentityFileName), content);

        var error = Assert.Throws<CryptoException>(() => new KeyDirectory(KeyPath).LoadOrCreateIdentity(out _));

        Assert.Contains("identity.key", error.Message, StringComparison.Ordinal);
        Assert.Contains("corrupt", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("abab", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Pins_go_new_then_same_then_changed_and_changed_keys_are_not_pinned()
    {
        using var bob = IdentityKeys.Create();
        using var impostor = IdentityKeys.Create();
        var pins = new KeyDirectory(KeyPath).Pins;

        Assert.Equal(PinStatus.New, pins.Check("bob", bob.Public));
        Assert.Equal(PinStatus.Same, pins.Check("bob", bob.Public));
        Assert.Equal(PinStatus.Changed, pins.Check("bob", impostor.Public));
        Assert.Equal(PinStatus.Changed, pins.Check("bob", impostor.Public));
        Assert.Equal(PinStatus.Same, pins.Check("bob", bob.Public));
    }

    [Fact]
    public void Pins_accepts_and_verifications_survive_a_restart()
    {
        using var bob = IdentityKeys.Create();
        using var carol = IdentityKeys.Create();
        using var newCarol = IdentityKeys.Create();
        var before = new KeyDirectory(KeyPath).Pins;
        before.Check("bob", bob.Public);
        before.MarkVerified("bob");
        before.Check("carol", carol.Public);
        before.Accept("carol", newCarol.Public);

        var after = new KeyDirectory(KeyPath).Pins;

        Assert.Equal(PinStatus.Same, after.Check("bob", bob.Public));
        Assert.True(after.IsVerified("bob"));
        Assert.Equal(PinStatus.Same, after.Check("carol", newCarol.Public));
        Assert.Equal(PinStatus.Changed, after.Check("carol", carol.Public));
        Assert.False(after.IsVerified("carol"));
        Assert.False(after.IsVerified("nobody"));
        Assert.False(File.Exists(Path.Combine(KeyPath, KeyDirectory.PinsFileName + ".tmp")));
    }

    [Fact]
    public void A_changed_key_drops_verification_and_accepting_it_pins_it_unverified()
    {
        using var bob = IdentityKeys.Create();
        using var newBob = IdentityKeys.Create();
        var pins = new KeyDirectory(KeyPath).Pins;
        pins.Check("bob", bob.Public);
        pins.MarkVerified("bob");

        Assert.Equal(PinStatus.Changed, pins.Check("bob", newBob.Public));
        Assert.False(pins.IsVerified("bob"));
        Assert.False(new KeyDirectory(KeyPath).Pins.IsVerified("bob"));

        pins.Accept("bob", newBob.Public);
        Assert.Equal(PinStatus.Same, pins.Check("bob", newBob.Public));
        Assert.False(pins.IsVerified("bob"));
        pins.MarkVerified("bob");
        Assert.True(new KeyDirectory(KeyPath).Pins.IsVerified("bob"));
    }

    [Fact]
    public void Verifying_a_name_without_a_pin_is_refused()
    {
        var pins = new KeyDirectory(KeyPath).Pins;

        Assert.Throws<InvalidOperationException>(() => pins.MarkVerified("ghost"));
        Assert.False(pins.IsVerified("ghost"));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{\"bob\": {\"signingKey\": \"AAAA\", \"dhKey\": \"AAAA\", \"verified\": true}}")]
    [InlineData("{\"bob\": {\"signingKey\": \"!!\"}}")]
    [InlineData("{\"bob\": {}}")]
    [InlineData("{\"bob\": null}")]
    [InlineData("[1, 2]")]
    public void A_corrupt_pin_file_is_refused(string content)
    {
        Directory.CreateDirectory(KeyPath);
        File.WriteAllText(Path.Combine(KeyPath, KeyDirectory.PinsFileName), content);

        Assert.Throws<CryptoException>(() => new KeyDirectory(KeyPath).Pins);
    }

    [Fact]
    public void The_pin_file_is_private_too()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // Unix file modes only; the project runs on Linux.
        }

        using var bob = IdentityKeys.Create();
        new KeyDirectory(KeyPath).Pins.Check("bob", bob.Public);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(KeyPath, KeyDirectory.PinsFileName)));
    }
}
