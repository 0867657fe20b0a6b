using Entice.Crypto.Storage;
using Entice.Crypto.Primitives;

namespace Entice.Client.Keys;

/// <summary>
/// Opens a key directory before the client starts: <see cref="KeyDirectory.Validate"/> reads every file
/// in it the way the crypto actor will (the identity, the saved sessions, the pinned peers). A damaged file
/// stops the start with <see cref="DamagedFileException"/>, which names the file and says what to do;
/// nothing is written or replaced. A wrong passphrase is not damage: it passes through as the
/// <see cref="CryptoException"/> it is. The first start creates the identity.
/// </summary>
public static class KeyDirectoryCheck
{
    /// <summary>A file in the key directory cannot be used as it is.</summary>
    public sealed class DamagedFileException(string file, string problem, string advice)
        : Exception($"{file} is damaged or unreadable ({problem}). Nothing was changed. {advice}")
    {
        public string File { get; } = file;
    }

    /// <summary>Checks every file, then loads (or, the first time, creates) the identity.</summary>
    public static void Open(KeyDirectory keys, string name)
    {
        ArgumentNullException.ThrowIfNull(keys);
        if (keys.Validate(name) is { } problem)
        {
            if (problem.Reason.Contains("wrong passphrase", StringComparison.Ordinal))
                throw new CryptoException(problem.Reason);
            throw new DamagedFileException(Path.Combine(keys.Path, problem.File), problem.Reason.TrimEnd('.'), AdviceFor(problem.File));
        }
        // Only now, so a damaged directory is never added to: the first start creates the identity.
        keys.LoadOrCreateIdentity(out _).Dispose();
    }

    private static string AdviceFor(string file) => file switch
    {
        KeyDirectory.IdentityFileName =>
            "It is your identity: restore it from a backup (moving it aside makes a new identity, and your peers will see your key change).",
        KeyDirectory.SessionsFileName =>
            "Move it aside to start over: your next message to each peer starts a new session (messages sent to you meanwhile cannot be read).",
        KeyDirectory.SenderKeysFileName =>
            "Move it aside to start over: your next room message starts a new sender key (room messages others sent under their current keys cannot be read until they make new ones).",
        _ =>
            "Move it aside to start over: peers' keys are pinned again when next seen (compare safety numbers with /verify again), or restore it from a backup.",
    };
}
