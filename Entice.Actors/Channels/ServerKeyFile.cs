using Entice.Crypto.Primitives;
using Entice.Crypto.Storage;

namespace Entice.Channels;

/// <summary>
/// The relay's long-term channel key in its data directory: <c>channel.key</c>, created on first start
/// with mode 0600 from the start (<see cref="KeyFiles"/>), never overwritten, loaded on later starts.
/// Layout: the 16 ASCII bytes "EnticeServerKey1" then the 32-byte X25519 private scalar. A file of
/// another size or header, or one other users can read, is refused with what to do: a server that made
/// itself a new key would be refused by every client that pinned the old one.
/// </summary>
public static class ServerKeyFile
{
    public const string FileName = "channel.key";

    private static ReadOnlySpan<byte> Header => "EnticeServerKey1"u8;

    private static int FileSize => Header.Length + X25519KeyPair.KeySize;

    /// <summary>Load the key, or create and save it when the directory has none (<paramref name="created"/>).</summary>
    public static X25519KeyPair LoadOrCreate(string dataDirectory, out bool created)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataDirectory);
        if (!Directory.Exists(dataDirectory))
        {
            KeyFiles.CreatePrivateDirectory(dataDirectory);
        }

        var path = Path.Combine(dataDirectory, FileName);
        if (!File.Exists(path))
        {
            var key = X25519KeyPair.Generate();
            var secret = key.ExportPrivateKey();
            var content = new byte[FileSize];
            try
            {
                Header.CopyTo(content);
                secret.CopyTo(content, Header.Length);
                KeyFiles.WritePrivateFile(path, content, overwrite: false);
                created = true;
                return key;
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another process created it first: use that one.
                key.Dispose();
            }
            finally
            {
                Kdf.Wipe(secret);
                Kdf.Wipe(content);
            }
        }

        created = false;
        return Load(path);
    }

    private static X25519KeyPair Load(string path)
    {
        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & (UnixFileMode.GroupRead | UnixFileMode.OtherRead)) != 0)
        {
            throw new CryptoException($"{path} can be read by other users; make it private (chmod 600 {path}) and start again.");
        }

        var content = File.ReadAllBytes(path);
        try
        {
            if (content.Length != FileSize || !content.AsSpan(0, Header.Length).SequenceEqual(Header))
            {
                throw new CryptoException(
                    $"{path} is not an Entice server key. Restore it from a backup; or move it away to make a new key, "
                    + "which every client that pinned the old one will refuse until its user accepts the new fingerprint.");
            }

            return X25519KeyPair.FromPrivateKey(content.AsSpan(Header.Length));
        }
        finally
        {
            Kdf.Wipe(content);
        }
    }
}
