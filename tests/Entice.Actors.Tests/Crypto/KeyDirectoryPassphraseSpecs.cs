using System.Diagnostics;
using Entice.Crypto.Storage;
using Entice.Crypto.Identity;
using Entice.Crypto.Primitives;
using Entice.Crypto.Ratchet;

namespace Entice.Tests.Crypto;

/// <summary>Secret files sealed under a passphrase (Argon2id + XChaCha20-Poly1305); cheap Argon2 in tests.</summary>
public sealed class KeyDirectoryPassphraseSpecs : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), "entice-keys-" + Guid.NewGuid().ToString("N"));

    private string KeyPath => Path.Combine(root, "keys");

    private string IdentityFile => Path.Combine(KeyPath, KeyDirectory.IdentityFileName);

    private string SessionsFile => Path.Combine(KeyPath, KeyDirectory.SessionsFileName);

    public void Dispose()
    {
        if (Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private KeyDirectory Open(string? passphrase) => new(KeyPath, passphrase, PassphraseParameters.Cheap);

    [Fact]
    public void The_right_passphrase_brings_back_the_same_identity_and_sessions()
    {
        using var first = Open("correct horse").LoadOrCreateIdentity(out var created);
        Open("correct horse").SaveSessions([1, 2, 3, 4]);

        var again = Open("correct horse");
        using var second = again.LoadOrCreateIdentity(out var createdAgain);

        Assert.True(created);
        Assert.False(createdAgain);
        Assert.True(first.Public.SameKeysAs(second.Public));
        Assert.Equal(new byte[] { 1, 2, 3, 4 }, again.LoadSessions());
    }

    [Fact]
    public void Sealed_files_show_neither_the_private_keys_nor_the_session_state()
    {
        using var identity = Open("pw").LoadOrCreateIdentity(out _);
        using var prekey = SignedPrekey.Create(identity, 1);
        using var book = new SessionBook(identity, "me", prekey);
        var state = book.Export();
        Open("pw").SaveSessions(state);
        using var plainCopy = new KeyDirectory(Path.Combine(root, "plain")).LoadOrCreateIdentity(out _);

        var sealedState = File.ReadAllBytes(SessionsFile);
        Assert.NotEqual(64, File.ReadAllBytes(IdentityFile).Length);
        Assert.True(sealedState.AsSpan().IndexOf(state.AsSpan(0, 16)) < 0);
        Assert.True(sealedState.AsSpan().IndexOf(prekey.PublicKey) < 0);
    }

    [Fact]
    public void A_wrong_passphrase_is_refused_clearly_and_never_replaced_by_a_new_identity()
    {
        using (Open("right").LoadOrCreateIdentity(out _))
        {
        }

        Open("right").SaveSessions([9, 9, 9]);
        var before = File.ReadAllBytes(IdentityFile);

        var error = Assert.Throws<CryptoException>(() => Open("wrong").LoadOrCreateIdentity(out _));
        var sessionsError = Assert.Throws<CryptoException>(() => Open("wrong").LoadSessions());

        Assert.Contains("wrong passphrase or corrupted key file", error.Message, StringComparison.Ordinal);
        Assert.Contains("identity.key", error.Message, StringComparison.Ordinal);
        Assert.Contains("wrong passphrase or corrupted key file", sessionsError.Message, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(IdentityFile));
    }

    [Fact]
    public void Any_corrupted_byte_of_a_sealed_file_is_refused()
    {
        using (Open("pw").LoadOrCreateIdentity(out _))
        {
        }

        var sealedBytes = File.ReadAllBytes(IdentityFile);
        for (var position = 0; position < sealedBytes.Length; position++)
        {
            var corrupt = (byte[])sealedBytes.Clone();
            corrupt[position] ^= 0x04;
            File.WriteAllBytes(IdentityFile, corrupt);
            Assert.Throws<CryptoException>(() => Open("pw").LoadOrCreateIdentity(out _));
        }

        File.WriteAllBytes(IdentityFile, sealedBytes[..^1]);
        Assert.Throws<CryptoException>(() => Open("pw").LoadOrCreateIdentity(out _));
    }

    [Fact]
    public void A_sealed_sessions_file_cannot_be_swapped_in_as_the_identity_file()
    {
        using (Open("pw").LoadOrCreateIdentity(out _))
        {
        }

        Open("pw").SaveSessions(new byte[64]);
        File.Copy(SessionsFile, IdentityFile, overwrite: true);

        Assert.Throws<CryptoException>(() => Open("pw").LoadOrCreateIdentity(out _));
    }

    [Fact]
    public void Mixing_up_protected_and_unprotected_directories_is_refused_with_a_clear_message()
    {
        using (Open("pw").LoadOrCreateIdentity(out _))
        {
        }

        var noPassphrase = Assert.Throws<CryptoException>(() => Open(null).LoadOrCreateIdentity(out _));
        Assert.Contains("passphrase", noPassphrase.Message, StringComparison.Ordinal);

        var plainDir = Path.Combine(root, "plain");
        using (new KeyDirectory(plainDir).LoadOrCreateIdentity(out _))
        {
        }

        var withPassphrase = Assert.Throws<CryptoException>(() => new KeyDirectory(plainDir, "pw", PassphraseParameters.Cheap).LoadOrCreateIdentity(out _));
        Assert.Contains("not passphrase-protected", withPassphrase.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_a_passphrase_sessions_are_a_private_plain_file_and_absent_means_null()
    {
        var keys = new KeyDirectory(KeyPath);
        Assert.Null(keys.LoadSessions());

        keys.SaveSessions([5, 6]);
        keys.SaveSessions([7, 8]);

        Assert.Equal(new byte[] { 7, 8 }, new KeyDirectory(KeyPath).LoadSessions());
        Assert.Single(Directory.GetFiles(KeyPath)); // the temp file of the atomic write is gone
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(SessionsFile));
        }
    }

    [Fact]
    public void Sealed_files_are_private_too()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        using (Open("pw").LoadOrCreateIdentity(out _))
        {
        }

        Open("pw").SaveSessions([1]);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(IdentityFile));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(SessionsFile));
    }

    [Fact]
    public void The_default_Argon2_cost_is_accepted_and_is_not_trivially_cheap()
    {
        var watch = Stopwatch.StartNew();
        var key = SealedFile.DeriveKey("pw"u8, new byte[16], PassphraseParameters.Default);
        watch.Stop();

        Assert.Equal(32, key.Length);
        Assert.True(watch.ElapsedMilliseconds >= 20, $"64 MiB, 3 passes took only {watch.ElapsedMilliseconds} ms");
    }
}
