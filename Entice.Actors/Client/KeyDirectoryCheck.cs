using Entice.Crypto;

namespace Entice.Client;

/// <summary>
/// Opens a key directory before the client starts, reading every file in it the way the crypto actor
/// will: the identity, the saved sessions and the pinned peers. A damaged file stops the start with
/// <see cref="DamagedFileException"/>, which names the file and says what to do; nothing is written or
/// replaced. (A wrong passphrase is not damage: that <see cref="CryptoException"/> passes through.)
/// </summary>
public static class KeyDirectoryCheck
{
    /// <summary>A file in the key directory cannot be used as it is.</summary>
    public sealed class DamagedFileException(string file, string problem, string advice, Exception inner)
        : Exception($"{file} is damaged or unreadable ({problem}). Nothing was changed. {advice}", inner)
    {
        public string File { get; } = file;
    }

    /// <summary>Loads (or, the first time, creates) the identity and checks the other files; the caller owns the identity.</summary>
    public static IdentityKeys Open(KeyDirectory keys, string name)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var identity = Step(keys, KeyDirectory.IdentityFileName,
            "It is your identity: restore it from a backup (moving it aside makes a new identity, and your peers will see your key change).",
            () => keys.LoadOrCreateIdentity(out _));
        try
        {
            Step(keys, KeyDirectory.SessionsFileName,
                "Move it aside to start over: your next message to each peer starts a new session (messages sent to you meanwhile cannot be read).",
                () => { CryptoAgent.CheckSavedSessions(name, identity, keys); return 0; });
            Step(keys, KeyDirectory.PinsFileName,
                "Move it aside to start over: peers' keys are pinned again when next seen (compare safety numbers with /verify again), or restore it from a backup.",
                () => keys.Pins);
        }
        catch
        {
            identity.Dispose();
            throw;
        }
        return identity;
    }

    private static T Step<T>(KeyDirectory keys, string file, string advice, Func<T> load)
    {
        try
        {
            return load();
        }
        catch (CryptoException ex) when (ex.Message.Contains("wrong passphrase", StringComparison.Ordinal))
        {
            throw;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException and not DamagedFileException)
        {
            throw new DamagedFileException(Path.Combine(keys.Path, file), ex.Message.TrimEnd('.'), advice, ex);
        }
    }
}
