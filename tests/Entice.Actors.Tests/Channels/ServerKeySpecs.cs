using System.Security.Cryptography;
using Entice.Channels;
using Entice.Crypto.Primitives;
using Entice.Tests.Support;

namespace Entice.Tests.Channels;

/// <summary>The server's static key file and the fingerprint people compare and type.</summary>
public sealed class ServerKeySpecs : IDisposable
{
    private readonly TempDirs dirs = new();

    public void Dispose() => dirs.Dispose();

    [Fact]
    public void The_key_is_created_once_private_and_the_same_one_is_loaded_later()
    {
        var dir = dirs.New();

        using var first = ServerKeyFile.LoadOrCreate(dir, out var created);
        using var again = ServerKeyFile.LoadOrCreate(dir, out var createdAgain);

        Assert.True(created);
        Assert.False(createdAgain);
        Assert.Equal(first.PublicKey, again.PublicKey);
        var path = Path.Combine(dir, ServerKeyFile.FileName);
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Equal(48, new FileInfo(path).Length);
    }

    [Fact]
    public void A_damaged_or_foreign_key_file_is_refused_and_never_replaced()
    {
        var dir = dirs.New();
        using (ServerKeyFile.LoadOrCreate(dir, out _))
        {
        }

        var path = Path.Combine(dir, ServerKeyFile.FileName);
        File.WriteAllBytes(path, RandomNumberGenerator.GetBytes(48));
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var before = File.ReadAllBytes(path);

        var ex = Assert.Throws<CryptoException>(() => ServerKeyFile.LoadOrCreate(dir, out _));

        Assert.Contains("not an Entice server key", ex.Message);
        Assert.Equal(before, File.ReadAllBytes(path));
    }

    [Fact]
    public void A_key_file_other_users_can_read_is_refused()
    {
        if (OperatingSystem.IsWindows())
            return;
        var dir = dirs.New();
        using (ServerKeyFile.LoadOrCreate(dir, out _))
        {
        }

        var path = Path.Combine(dir, ServerKeyFile.FileName);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);

        Assert.Contains("chmod 600", Assert.Throws<CryptoException>(() => ServerKeyFile.LoadOrCreate(dir, out _)).Message);
    }

    [Fact]
    public void The_fingerprint_is_the_first_20_bytes_of_sha256_of_the_key_in_groups_of_four()
    {
        var key = Convert.FromHexString("4a3acbfdb163dec651dfa3194dece676d437029c62a408b4c5ea9114246e4893");
        var expected = Convert.ToHexString(SHA256.HashData(key))[..40].ToLowerInvariant();

        var text = ServerFingerprint.Of(key).ToString();

        Assert.Equal(expected, text.Replace(" ", ""));
        Assert.Equal(10, text.Split(' ').Length);
        Assert.All(text.Split(' '), g => Assert.Equal(4, g.Length));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void The_fingerprint_parses_back_with_or_without_spaces_in_any_case(bool spaces)
    {
        using var key = X25519KeyPair.Generate();
        var fingerprint = ServerFingerprint.Of(key.PublicKey);
        var text = spaces ? fingerprint.ToString().ToUpperInvariant() : fingerprint.ToCompactString();

        Assert.Equal(fingerprint, ServerFingerprint.Parse(text));
        Assert.True(ServerFingerprint.Parse(text).Matches(key.PublicKey));
    }

    [Theory]
    [InlineData("")]
    [InlineData("3f2a")]
    [InlineData("3f2a91c03f2a91c03f2a91c03f2a91c03f2a91c0ff")]
    [InlineData("3f2a91c03f2a91c03f2a91c03f2a91c03f2a91cg")]
    [InlineData("3f2a-91c0-3f2a-91c0-3f2a-91c0-3f2a-91c0-3f2a-91c0")]
    [InlineData("3f2a91c03f2a91c03f2a91c03f2a91c03f2a91c\u0430")]
    public void Anything_but_40_hex_digits_is_refused_with_a_reason(string text)
    {
        Assert.False(ServerFingerprint.TryParse(text, out _, out var problem));
        Assert.Contains("40 hex digits", problem);
        Assert.Throws<FormatException>(() => ServerFingerprint.Parse(text));
    }
}
