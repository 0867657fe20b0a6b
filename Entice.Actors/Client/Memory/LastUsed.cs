using System.Text;
using Entice.Crypto;
using Entice.Crypto.Storage;

namespace Entice.Client.Memory;

/// <summary>
/// The pointer to the key directory used last (<see cref="ClientPaths.LastFile"/>): one line, its full
/// path. Written at each start with a key directory; read when <c>entice</c> is started with no name.
/// </summary>
public static class LastUsed
{
    /// <summary>The key directory used last, or null when there is none (or it is gone).</summary>
    /// <exception cref="ClientMemory.DamagedException">The pointer file cannot be read or is not a path.</exception>
    public static string? Read(string? file = null)
    {
        file ??= ClientPaths.LastFile();
        string text;
        try
        {
            if (!File.Exists(file))
                return null;
            if (new FileInfo(file).Length > 4096)
                throw new ClientMemory.DamagedException($"{file} is not a key directory path (too long); delete it");
            text = File.ReadAllText(file, new UTF8Encoding(false, throwOnInvalidBytes: true)).TrimEnd('\r', '\n');
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or DecoderFallbackException)
        {
            throw new ClientMemory.DamagedException($"cannot read {file}: {ex.Message}");
        }
        if (text.Length == 0 || text.Any(char.IsControl) || !Path.IsPathRooted(text))
            throw new ClientMemory.DamagedException($"{file} does not name a key directory; delete it or give --name");
        return Directory.Exists(text) ? text : null;
    }

    public static void Write(string keyDir, string? file = null)
    {
        file ??= ClientPaths.LastFile();
        var dir = Path.GetDirectoryName(file)!;
        KeyFiles.CreatePrivateDirectory(dir);
        KeyFiles.WritePrivateFileAtomic(file, Encoding.UTF8.GetBytes(Path.GetFullPath(keyDir) + "\n"), overwrite: true);
    }
}
