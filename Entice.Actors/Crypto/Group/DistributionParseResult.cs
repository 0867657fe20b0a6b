using System.Diagnostics.CodeAnalysis;

namespace Entice.Crypto.Group;

/// <summary>Why a distribution message was refused.</summary>
public enum DistributionFailure
{
    /// <summary>Truncated, trailing bytes, unknown version, an invalid name or key id, a count out of range.</summary>
    Malformed = 1,

    /// <summary>The signing key is not a canonical Ed25519 key of large order.</summary>
    BadSigningKey,

    /// <summary>The member list is not canonical (order, duplicates) or lacks the sender.</summary>
    BadRoster,
}

/// <summary>The outcome of <see cref="SenderKeyDistribution.Parse"/>: the message, or why there is none.</summary>
public sealed class DistributionParseResult
{
    private DistributionParseResult(SenderKeyDistribution? distribution, DistributionFailure? failure, string? reason)
    {
        Distribution = distribution;
        Failure = failure;
        Reason = reason;
    }

    public SenderKeyDistribution? Distribution { get; }

    public DistributionFailure? Failure { get; }

    /// <summary>A short reason safe to log (field names only, never bytes).</summary>
    public string? Reason { get; }

    [MemberNotNullWhen(true, nameof(Distribution))]
    [MemberNotNullWhen(false, nameof(Failure))]
    public bool Succeeded => Distribution is not null;

    internal static DistributionParseResult Success(SenderKeyDistribution distribution) => new(distribution, null, null);

    internal static DistributionParseResult Fail(DistributionFailure failure, string reason) => new(null, failure, reason);

    public override string ToString() => Succeeded ? $"DistributionParseResult(ok, {Distribution})" : $"DistributionParseResult({Failure}: {Reason})";
}
