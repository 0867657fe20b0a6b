namespace Entice.Crypto;

/// <summary>
/// The client's key directory (mode 0700): <c>identity.key</c> holds the Ed25519 seed and the X25519
/// private key (64 bytes, mode 0600); <c>pins.json</c> holds the trust-on-first-use pins.
/// </summary>
public sealed class KeyDirectory
{
    public const string IdentityFileName = "identity.key";
    public const string PinsFileName = "pins.json";

    private const int IdentityFileSize = 2 * IdentityKeys.PrivateKeySize;

    private readonly string directory;
    private PinStore? pins;

    public KeyDirectory(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        directory = path;
    }

    public string Path => directory;

    /// <summary>The pins, loaded on first use (a corrupt file throws <see cref="CryptoException"/> here).</summary>
    public PinStore Pins
    {
        get
        {
            if (pins is null)
            {
                KeyFiles.CreatePrivateDirectory(directory);
                pins = new PinStore(System.IO.Path.Combine(directory, PinsFileName));
            }

            return pins;
        }
    }

    /// <summary>Load the identity, or create and save a new one the first time.</summary>
    public IdentityKeys LoadOrCreateIdentity(out bool created)
    {
        KeyFiles.CreatePrivateDirectory(directory);
        var file = System.IO.Path.Combine(directory, IdentityFileName);
        if (File.Exists(file))
        {
            created = false;
            return Load(file);
        }

        var identity = IdentityKeys.CreateExportable();
        var privateKeys = identity.ExportPrivateKeys();
        try
        {
            KeyFiles.WritePrivateFile(file, privateKeys, overwrite: false);
        }
        catch
        {
            identity.Dispose();
            throw;
        }
        finally
        {
            Kdf.Wipe(privateKeys);
        }

        created = true;
        return identity;
    }

    private static IdentityKeys Load(string file)
    {
        byte[] privateKeys;
        try
        {
            privateKeys = File.ReadAllBytes(file);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw new CryptoException($"{IdentityFileName} cannot be read.", error);
        }

        try
        {
            if (privateKeys.Length != IdentityFileSize)
            {
                throw new CryptoException($"{IdentityFileName} is corrupt: expected {IdentityFileSize} bytes, found {privateKeys.Length}.");
            }

            return IdentityKeys.Import(privateKeys.AsSpan(0, IdentityKeys.PrivateKeySize), privateKeys.AsSpan(IdentityKeys.PrivateKeySize));
        }
        finally
        {
            Kdf.Wipe(privateKeys);
        }
    }
}
