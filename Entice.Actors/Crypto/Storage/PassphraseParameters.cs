namespace Entice.Crypto.Storage;

/// <summary>
/// Argon2id cost for passphrase-sealed key files: memory in KiB and passes (parallelism is 1, the only
/// value NSec supports). The defaults (64 MiB, 3 passes) cost a fraction of a second per derivation.
/// Tests use <see cref="Cheap"/>; the parameters are stored in each file, within <see cref="IsAcceptable"/>.
/// </summary>
internal sealed record PassphraseParameters(uint MemoryKiB, uint Passes)
{
    public static readonly PassphraseParameters Default = new(64 * 1024, 3);

    public static readonly PassphraseParameters Cheap = new(8, 1);

    // Bounds on what a file may ask for: a planted file must not make us allocate gigabytes or spin for minutes.
    public bool IsAcceptable => MemoryKiB is >= 8 and <= 1024 * 1024 && Passes is >= 1 and <= 16;
}
