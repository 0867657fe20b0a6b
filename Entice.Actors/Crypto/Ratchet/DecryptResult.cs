using System.Diagnostics.CodeAnalysis;

namespace Entice.Crypto.Ratchet;

/// <summary>The outcome of <see cref="SessionBook.Decrypt"/>: the plaintext, or why there is none.</summary>
public sealed class DecryptResult
{
    private DecryptResult(byte[]? plaintext, DecryptFailure? failure)
    {
        Plaintext = plaintext;
        Failure = failure;
    }

    /// <summary>The unpadded plaintext when <see cref="Succeeded"/>; otherwise null.</summary>
    public byte[]? Plaintext { get; }

    /// <summary>Why decryption failed; null when it succeeded.</summary>
    public DecryptFailure? Failure { get; }

    [MemberNotNullWhen(true, nameof(Plaintext))]
    [MemberNotNullWhen(false, nameof(Failure))]
    public bool Succeeded => Plaintext is not null;

    public static DecryptResult Success(byte[] plaintext)
    {
        ArgumentNullException.ThrowIfNull(plaintext);
        return new DecryptResult(plaintext, null);
    }

    public static DecryptResult Fail(DecryptFailure failure) => new(null, failure);

    // Never print the plaintext.
    public override string ToString() =>
        Succeeded ? $"DecryptResult(ok, {Plaintext.Length} bytes)" : $"DecryptResult({Failure})";
}
