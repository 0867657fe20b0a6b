using Entice.Client;
using Entice.Tests.Support;
using Entice.Crypto.Storage;
using Entice.Client.Keys;
using Entice.Crypto.Identity;
using Entice.Crypto.Ratchet;

namespace Entice.Tests.Client;

/// <summary>Issue 11 item 6: every file of the key directory is read before the client starts.</summary>
public sealed class KeyDirectoryCheckSpecs : IDisposable
{
    private readonly TempDirs _dirs = new();

    [Theory]
    [InlineData(KeyDirectory.PinsFileName)]
    [InlineData(KeyDirectory.SessionsFileName)]
    [InlineData(KeyDirectory.IdentityFileName)]
    public void A_damaged_file_is_named_with_what_to_do_and_left_as_it_was(string file)
    {
        var dir = _dirs.New();
        MakeKeyDirectory(dir);
        var path = Path.Combine(dir, file);
        byte[] damage = [.. "{ this is not what it should be"u8];
        File.WriteAllBytes(path, damage);

        var ex = Assert.Throws<KeyDirectoryCheck.DamagedFileException>(() => KeyDirectoryCheck.Open(new KeyDirectory(dir), "alice"));

        Assert.Equal(path, ex.File);
        Assert.StartsWith(path + " is damaged", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Nothing was changed", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', ex.Message);
        Assert.Equal(damage, File.ReadAllBytes(path));
    }

    [Fact]
    public void A_sound_directory_opens()
    {
        var dir = _dirs.New();
        MakeKeyDirectory(dir);
        KeyDirectoryCheck.Open(new KeyDirectory(dir), "alice");
        using var identity = new KeyDirectory(dir).LoadOrCreateIdentity(out var created);
        Assert.False(created);
    }

    // A directory as a client leaves it: identity, saved sessions and a pin.
    private static void MakeKeyDirectory(string dir)
    {
        var keys = new KeyDirectory(dir);
        using (var identity = keys.LoadOrCreateIdentity(out _))
        using (var prekey = SignedPrekey.Create(identity, 1))
        using (var book = new SessionBook(identity, "alice", prekey))
            keys.SaveSessions(book.Export());
        using var bob = new TestIdentity("bob");
        keys.Pins.Check("bob", PublicIdentity.FromBundle(bob.Bundle));
    }

    public void Dispose() => _dirs.Dispose();
}
