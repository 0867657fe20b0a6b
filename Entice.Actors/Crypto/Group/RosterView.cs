using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using Entice.Crypto.Primitives;
using Entice.Wire;

namespace Entice.Crypto.Group;

/// <summary>
/// A room's membership as one member sees it: an epoch (the roster version, never going back) and the
/// members sorted by name (ordinal), one entry per name. Every room message binds the sender's epoch and
/// <see cref="MemberSetHash"/>, so a relay that shows two members different rosters is noticed.
/// <code>
/// MemberSetHash = SHA-256( LP("Entice/v1/group-members") || LP(count u32 BE) || LP(name_1) || LP(fp_1) || ... )
/// </code>
/// LP = u32 big-endian length, then the bytes; names are strict UTF-8; fp = SHA-256(IKsig || IKdh).
/// </summary>
public sealed class RosterView
{
    private readonly RosterMember[] members;
    private readonly byte[] hash;

    private RosterView(ulong epoch, RosterMember[] sortedMembers)
    {
        Epoch = epoch;
        members = sortedMembers;
        hash = HashOf(sortedMembers);
    }

    public ulong Epoch { get; }

    /// <summary>The members in canonical order (ordinal by name).</summary>
    public IReadOnlyList<RosterMember> Members => Array.AsReadOnly(members);

    /// <summary>A copy of the 32-byte member-set hash.</summary>
    public byte[] MemberSetHash => hash.ToArray();

    /// <summary>A view of <paramref name="members"/> in any order; refuses an empty set, duplicates and invalid names.</summary>
    public static RosterView Create(ulong epoch, IEnumerable<RosterMember> members) =>
        TryCreate(epoch, members, requireSorted: false, out var view, out var problem) ? view : throw new ArgumentException(problem, nameof(members));

    /// <summary>
    /// A view, or the reason there is none (never throws on content). With <paramref name="requireSorted"/>
    /// the members must already be in canonical order (the codec accepts one encoding per roster).
    /// </summary>
    public static bool TryCreate(ulong epoch, IEnumerable<RosterMember> members, bool requireSorted, [NotNullWhen(true)] out RosterView? view, [NotNullWhen(false)] out string? problem)
    {
        ArgumentNullException.ThrowIfNull(members);
        view = null;
        var given = members.ToArray();
        if (given.Length is 0 or > WireLimits.MaxMembers)
        {
            problem = $"a roster has 1 to {WireLimits.MaxMembers} members";
            return false;
        }

        var sorted = given.OrderBy(m => m.Name, StringComparer.Ordinal).ToArray();
        for (var i = 0; i < sorted.Length; i++)
        {
            if (!Names.IsValidName(sorted[i].Name))
            {
                problem = "a member name is not a valid name";
                return false;
            }

            if (i > 0 && string.Equals(sorted[i - 1].Name, sorted[i].Name, StringComparison.Ordinal))
            {
                problem = "a member appears twice";
                return false;
            }

            if (requireSorted && !ReferenceEquals(sorted[i], given[i]))
            {
                problem = "the members are not in canonical order";
                return false;
            }
        }

        view = new RosterView(epoch, sorted);
        problem = null;
        return true;
    }

    public bool Contains(string name) => Find(name) is not null;

    public RosterMember? Find(string name) => Array.Find(members, m => string.Equals(m.Name, name, StringComparison.Ordinal));

    /// <summary>True when <paramref name="epoch"/> and <paramref name="memberSetHash"/> are this view's (hash compared in constant time).</summary>
    public bool Matches(ulong epoch, ReadOnlySpan<byte> memberSetHash) =>
        CryptographicOperations.FixedTimeEquals(hash, memberSetHash) & epoch == Epoch;

    /// <summary>How <paramref name="theirs"/> (another member's list) differs from this view.</summary>
    public RosterDifference DifferenceFrom(IReadOnlyList<RosterMember> theirs)
    {
        ArgumentNullException.ThrowIfNull(theirs);
        var onlyTheirs = theirs.Where(t => !Contains(t.Name)).Select(t => t.Name).ToArray();
        var onlyMine = members.Where(m => !theirs.Any(t => string.Equals(t.Name, m.Name, StringComparison.Ordinal))).Select(m => m.Name).ToArray();
        var keys = members.Where(m => theirs.Any(t => string.Equals(t.Name, m.Name, StringComparison.Ordinal) && !t.Equals(m))).Select(m => m.Name).ToArray();
        return new RosterDifference(onlyTheirs, onlyMine, keys);
    }

    /// <summary>The canonical encoding hashed into <see cref="MemberSetHash"/> (exposed for the known-answer specs).</summary>
    internal static byte[] CanonicalEncoding(IReadOnlyList<RosterMember> sortedMembers)
    {
        var count = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(count, (uint)sortedMembers.Count);
        var writer = new LengthPrefixedWriter().Add(GroupLabels.MemberSet).Add(count);
        foreach (var member in sortedMembers)
        {
            writer.Add(member.Name).Add(member.Fingerprint);
        }

        return writer.ToArray();
    }

    private static byte[] HashOf(RosterMember[] sortedMembers) =>
        NSec.Cryptography.HashAlgorithm.Sha256.Hash(CanonicalEncoding(sortedMembers));

    public override string ToString() => $"RosterView(epoch {Epoch}, {members.Length} members, {Convert.ToHexStringLower(hash.AsSpan(0, 4))}…)";
}
