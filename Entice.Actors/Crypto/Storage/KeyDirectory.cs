using System.Security.Cryptography;
using Entice.Crypto.Identity;
using Entice.Crypto.Primitives;
using Entice.Crypto.Ratchet;

namespace Entice.Crypto.Storage;

/// <summary>
/// The client's key directory (mode 0700). <c>identity.key</c> holds the Ed25519 seed and the X25519
/// private key; <c>sessions.bin</c> the exported <see cref="SessionBook"/>; <c>pins.log</c> the
/// trust-on-first-use pins (public data, an append-only log: <see cref="PinLog"/>; sealed record by record
/// under the passphrase when there is one). Secret files are mode 0600 and replaced atomically. With a
/// passphrase, every secret file is sealed (<see cref="SealedFile"/>: Argon2id + XChaCha20-Poly1305);
/// without one they are plain, as before. A wrong passphrase is an error, never a reason to start afresh.
/// </summary>
public sealed class KeyDirectory
{
    public const string IdentityFileName = "identity.key";
    public const string SessionsFileName = "sessions.bin";
    public const string SenderKeysFileName = "senderkeys.bin";
    public const string PinsFileName = "pins.log";

    /// <summary>The pins file of earlier versions: read once, moved into <see cref="PinsFileName"/>, deleted.</summary>
    public const string LegacyPinsFileName = "pins.json";

    private const int IdentityFileSize = 2 * IdentityKeys.PrivateKeySize;

    private readonly string directory;

    // UTF-8 of the passphrase, kept for the directory's lifetime (a string could not be zeroed).
    private readonly byte[]? passphrase;
    private readonly PassphraseParameters parameters;
    private PinStore? pins;

    // One Argon2id derivation per directory object: later writes reuse this salt and key with fresh nonces.
    private (byte[] Salt, PassphraseParameters Parameters, byte[] Key)? derived;

    public KeyDirectory(string path, string? passphrase = null)
        : this(path, passphrase, PassphraseParameters.Default)
    {
    }

    /// <summary>For tests: cheap Argon2 parameters (the parameters are stored in each file).</summary>
    internal KeyDirectory(string path, string? passphrase, PassphraseParameters parameters)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (passphrase is { Length: 0 })
        {
            throw new ArgumentException("An empty passphrase protects nothing; pass null for none.", nameof(passphrase));
        }

        directory = path;
        this.passphrase = passphrase is null ? null : StrictUtf8.GetBytes(passphrase);
        this.parameters = parameters;
    }

    public string Path => directory;

    public bool HasPassphrase => passphrase is not null;

    /// <summary>The pins, loaded on first use (a corrupt file throws <see cref="CryptoException"/> here).</summary>
    public PinStore Pins
    {
        get
        {
            if (pins is null)
            {
                KeyFiles.CreatePrivateDirectory(directory);
                var log = passphrase is null
                    ? new PinLog(System.IO.Path.Combine(directory, PinsFileName), null, null)
                    : new PinLog(System.IO.Path.Combine(directory, PinsFileName), SealRecord, OpenRecord);
                pins = new PinStore(log, System.IO.Path.Combine(directory, LegacyPinsFileName));
            }

            return pins;
        }
    }

    /// <summary>Load the identity, or create and save a new one the first time (never over an unreadable one).</summary>
    public IdentityKeys LoadOrCreateIdentity(out bool created)
    {
        KeyFiles.CreatePrivateDirectory(directory);
        var file = System.IO.Path.Combine(directory, IdentityFileName);
        if (File.Exists(file))
        {
            created = false;
            return LoadIdentity(file);
        }

        var identity = IdentityKeys.CreateExportable();
        var privateKeys = identity.ExportPrivateKeys();
        try
        {
            WriteSecret(file, IdentityFileName, privateKeys, overwrite: false);
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

    /// <summary>Replace sessions.bin atomically with <paramref name="state"/> (from <see cref="SessionBook.Export"/>).</summary>
    /// <remarks><paramref name="durable"/> false: no fsync, until <see cref="SyncSaved"/>.</remarks>
    public void SaveSessions(byte[] state, bool durable = true)
    {
        ArgumentNullException.ThrowIfNull(state);
        KeyFiles.CreatePrivateDirectory(directory);
        WriteSecret(System.IO.Path.Combine(directory, SessionsFileName), SessionsFileName, state, overwrite: true, durable);
    }

    /// <summary>Flush sessions.bin and senderkeys.bin to disk (after saves made with durable: false).</summary>
    public void SyncSaved()
    {
        KeyFiles.Sync(System.IO.Path.Combine(directory, SenderKeysFileName));
        KeyFiles.Sync(System.IO.Path.Combine(directory, SessionsFileName));
    }

    /// <summary>The saved session state, or null when none was saved. The caller zeroes it after import.</summary>
    public byte[]? LoadSessions()
    {
        var file = System.IO.Path.Combine(directory, SessionsFileName);
        return File.Exists(file) ? ReadSecret(file, SessionsFileName, expectedPlainSize: null) : null;
    }

    /// <summary>Replace senderkeys.bin atomically with <paramref name="state"/> (from <see cref="Group.SenderKeyState.Export"/>).</summary>
    public void SaveSenderKeys(byte[] state, bool durable = true)
    {
        ArgumentNullException.ThrowIfNull(state);
        KeyFiles.CreatePrivateDirectory(directory);
        WriteSecret(System.IO.Path.Combine(directory, SenderKeysFileName), SenderKeysFileName, state, overwrite: true, durable);
    }

    /// <summary>The saved sender-key state, or null when none was saved. The caller zeroes it after import.</summary>
    public byte[]? LoadSenderKeys()
    {
        var file = System.IO.Path.Combine(directory, SenderKeysFileName);
        return File.Exists(file) ? ReadSecret(file, SenderKeysFileName, expectedPlainSize: null) : null;
    }

    /// <summary>
    /// Reads senderkeys.bin for <paramref name="name"/>: the own keys and the receivers (the caller disposes them),
    /// empty lists when there is none; a damaged file throws <see cref="CryptoException"/> naming the problem.
    /// </summary>
    public (List<Group.SenderKey> Own, List<Group.SenderKeyReceiver> Receivers) LoadSenderKeyState(string name, Group.SenderKeyOptions options)
    {
        var saved = LoadSenderKeys();
        if (saved is null)
            return ([], []);
        try
        {
            return Group.SenderKeyState.TryImport(saved, name, options, out var own, out var receivers, out var problem)
                ? (own, receivers)
                : throw new CryptoException($"{SenderKeysFileName} is corrupt: {problem}.");
        }
        finally
        {
            Kdf.Wipe(saved);
        }
    }

    /// <summary>
    /// Checks every file of the directory the way the client will use it: the identity, the saved sessions
    /// (for <paramref name="name"/>, when given: they are bound to it) and the pins. Returns the first file that
    /// is unusable and why, or null when all are fine (absent files are fine: they are created). Nothing is
    /// created or changed, except that a first start creates nothing here at all.
    /// </summary>
    public KeyDirectoryProblem? Validate(string? name = null)
    {
        var identityFile = System.IO.Path.Combine(directory, IdentityFileName);
        IdentityKeys? identity = null;
        try
        {
            if (File.Exists(identityFile))
            {
                try
                {
                    identity = LoadIdentity(identityFile);
                }
                catch (CryptoException error)
                {
                    return new KeyDirectoryProblem(IdentityFileName, error.Message);
                }
            }

            if (identity is not null && name is not null && File.Exists(System.IO.Path.Combine(directory, SessionsFileName)))
            {
                try
                {
                    var saved = LoadSessions()!;
                    try
                    {
                        SessionBook.Import(identity, name, saved).Dispose();
                    }
                    finally
                    {
                        Kdf.Wipe(saved);
                    }
                }
                catch (CryptoException error)
                {
                    return new KeyDirectoryProblem(SessionsFileName, error.Message);
                }
            }

            if (name is not null && File.Exists(System.IO.Path.Combine(directory, SenderKeysFileName)))
            {
                try
                {
                    var (own, receivers) = LoadSenderKeyState(name, Group.SenderKeyOptions.Default);
                    own.ForEach(k => k.Dispose());
                    receivers.ForEach(r => r.Dispose());
                }
                catch (CryptoException error)
                {
                    return new KeyDirectoryProblem(SenderKeysFileName, error.Message);
                }
            }

            var pinsFile = System.IO.Path.Combine(directory, PinsFileName);
            var legacyFile = System.IO.Path.Combine(directory, LegacyPinsFileName);
            if (File.Exists(pinsFile) || File.Exists(legacyFile))
            {
                try
                {
                    _ = Pins;
                }
                catch (CryptoException error)
                {
                    return new KeyDirectoryProblem(File.Exists(pinsFile) ? PinsFileName : LegacyPinsFileName, error.Message);
                }
            }

            return null;
        }
        finally
        {
            identity?.Dispose();
        }
    }

    // A pins.log record sealed like the other secret files (same derived key, fresh nonce), named by its position.
    private byte[] SealRecord(string name, byte[] body)
    {
        var current = CurrentSealingKey();
        return SealedFile.Seal(name, current.Key, current.Salt, current.Parameters, body);
    }

    private byte[] OpenRecord(string name, byte[] record) => SealedFile.Open(name, KeyFor(name, record), record);

    private IdentityKeys LoadIdentity(string file)
    {
        var privateKeys = ReadSecret(file, IdentityFileName, IdentityFileSize);
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

    private void WriteSecret(string file, string name, byte[] content, bool overwrite, bool durable = true)
    {
        if (passphrase is null)
        {
            KeyFiles.WritePrivateFileAtomic(file, content, overwrite, durable);
            return;
        }

        var current = CurrentSealingKey();
        KeyFiles.WritePrivateFileAtomic(file, SealedFile.Seal(name, current.Key, current.Salt, current.Parameters, content), overwrite, durable);
    }

    private (byte[] Salt, PassphraseParameters Parameters, byte[] Key) CurrentSealingKey()
    {
        if (derived is not { } current)
        {
            var salt = RandomNumberGenerator.GetBytes(SealedFile.SaltSize);
            current = (salt, parameters, SealedFile.DeriveKey(passphrase, salt, parameters));
            derived = current;
        }

        return current;
    }

    private byte[] ReadSecret(string file, string name, int? expectedPlainSize)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(file);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw new CryptoException($"{name} cannot be read.", error);
        }

        if (passphrase is null)
        {
            // A plain identity file is exactly 64 bytes, so a sealed one cannot be mistaken for it.
            if (SealedFile.LooksSealed(bytes) && (expectedPlainSize is null || bytes.Length != expectedPlainSize))
            {
                Kdf.Wipe(bytes);
                throw new CryptoException($"{name} is protected by a passphrase; start with the passphrase to use it.");
            }

            return bytes;
        }

        try
        {
            if (!SealedFile.LooksSealed(bytes))
            {
                throw new CryptoException($"{name} is not passphrase-protected; start without a passphrase to use it.");
            }

            return SealedFile.Open(name, KeyFor(name, bytes), bytes);
        }
        finally
        {
            Kdf.Wipe(bytes);
        }
    }

    private byte[] KeyFor(string name, byte[] file)
    {
        var (salt, fileParameters) = SealedFile.ReadHeader(name, file);
        if (derived is { } current && current.Parameters == fileParameters && CryptographicOperations.FixedTimeEquals(current.Salt, salt))
        {
            return current.Key;
        }

        var key = SealedFile.DeriveKey(passphrase, salt, fileParameters);
        if (derived is { } old)
        {
            Kdf.Wipe(old.Key);
        }

        derived = (salt, fileParameters, key);
        return key;
    }
}
