using System.Security.Cryptography;
using System.Text;
using Entice.Crypto.Group;

namespace Entice.Tests.Crypto.Group;

/// <summary>
/// A room for sender-key specs without actors: member names with random identity fingerprints, each member's
/// own view, and the distribution step (which in the client travels over the pairwise session).
/// </summary>
internal sealed class GroupRoom : IDisposable
{
    public const string Name = "general";

    private readonly Dictionary<string, SenderKeyReceiver> receivers = new(StringComparer.Ordinal);

    public GroupRoom(params string[] members)
    {
        foreach (var member in members)
            Fingerprints[member] = RandomNumberGenerator.GetBytes(32);
        View = RosterView.Create(1, members.Select(m => new RosterMember(m, Fingerprints[m])));
    }

    public static SenderKeyOptions Options { get; } = new() { MaxSkip = 50, MaxSkippedKept = 10 };

    public Dictionary<string, byte[]> Fingerprints { get; } = new(StringComparer.Ordinal);

    /// <summary>The honest roster everyone sees.</summary>
    public RosterView View { get; private set; }

    public static DateTimeOffset Now { get; } = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    public static byte[] Text(string text) => Encoding.UTF8.GetBytes(text);

    public SenderKeyReceiver Receiver(string member, SenderKeyOptions? options = null)
    {
        if (!receivers.TryGetValue(member, out var receiver))
            receivers[member] = receiver = new SenderKeyReceiver(Name, options ?? Options);
        return receiver;
    }

    /// <summary>A new sender key for <paramref name="sender"/>, distributed (encoded, parsed, accepted) to every other member of the view.</summary>
    public SenderKey NewSenderKey(string sender)
    {
        var key = SenderKey.Create(Name, sender, View, Now);
        foreach (var member in View.Members.Where(m => m.Name != sender))
            Deliver(key, member.Name);
        return key;
    }

    public void Deliver(SenderKey key, string member)
    {
        var parsed = SenderKeyDistribution.Parse(key.Distribution().Encode());
        Assert.True(parsed.Succeeded, parsed.ToString());
        Assert.Equal(DistributionOutcome.Accepted, Receiver(member).Accept(parsed.Distribution, key.Sender));
    }

    public RosterView Without(string member) =>
        View = RosterView.Create(View.Epoch + 1, View.Members.Where(m => m.Name != member));

    public RosterView With(string member)
    {
        Fingerprints[member] = RandomNumberGenerator.GetBytes(32);
        return View = RosterView.Create(View.Epoch + 1, View.Members.Append(new RosterMember(member, Fingerprints[member])));
    }

    public void Dispose()
    {
        foreach (var receiver in receivers.Values)
            receiver.Dispose();
    }
}
