namespace Entice.Crypto.Storage;

/// <summary>What <see cref="KeyDirectory.Validate"/> found wrong: the file (its name in the key directory) and why.</summary>
public sealed record KeyDirectoryProblem(string File, string Reason)
{
    /// <summary>One line for the user, e.g. <c>pins.log: pins.log is corrupt: record 3 is damaged (checksum).</c></summary>
    public override string ToString() => Reason.StartsWith(File, StringComparison.Ordinal) ? Reason : $"{File}: {Reason}";
}
