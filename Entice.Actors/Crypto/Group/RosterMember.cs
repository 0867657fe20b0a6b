using System.Security.Cryptography;
using Entice.Crypto.Identity;

namespace Entice.Crypto.Group;

/// <summary>
/// One member of a room as a client sees it: the name and the fingerprint of the identity keys pinned for
/// it, SHA-256(IKsig || IKdh) (32 bytes). Two views agree on a member only when both name and keys agree.
/// </summary>
public sealed class RosterMember : IEquatable<RosterMember>
{
    public const int FingerprintSize = 32;

    public RosterMember(string name, byte[] fingerprint)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(fingerprint);
        if (fingerprint.Length != FingerprintSize)
            throw new ArgumentException("A member fingerprint is 32 bytes.", nameof(fingerprint));
        Name = name;
        Fingerprint = fingerprint.ToArray();
    }

    public string Name { get; }

    public byte[] Fingerprint { get; }

    /// <summary>The member <paramref name="name"/> with the identity keys <paramref name="identity"/>.</summary>
    public static RosterMember Of(string name, PublicIdentity identity)
    {
        ArgumentNullException.ThrowIfNull(identity);
        return new RosterMember(name, FingerprintOf(identity));
    }

    /// <summary>SHA-256(IKsig || IKdh).</summary>
    public static byte[] FingerprintOf(PublicIdentity identity)
    {
        ArgumentNullException.ThrowIfNull(identity);
        return NSec.Cryptography.HashAlgorithm.Sha256.Hash(identity.CombinedKey);
    }

    public bool Equals(RosterMember? other) =>
        other is not null && string.Equals(Name, other.Name, StringComparison.Ordinal)
        && CryptographicOperations.FixedTimeEquals(Fingerprint, other.Fingerprint);

    public override bool Equals(object? obj) => Equals(obj as RosterMember);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Name);

    public override string ToString() => $"{Name} ({Convert.ToHexStringLower(Fingerprint.AsSpan(0, 4))}…)";
}
