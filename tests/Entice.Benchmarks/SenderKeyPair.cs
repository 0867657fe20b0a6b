using System.Security.Cryptography;
using Entice.Crypto.Group;

namespace Entice.Benchmarks;

/// <summary>
/// What every sender-key benchmark starts from: alice's sender key for "lobby" in a roster of alice and bob,
/// and bob's receiver, which has accepted its distribution.
/// </summary>
internal sealed class SenderKeyPair : IDisposable
{
    public SenderKeyPair()
    {
        View = RosterView.Create(1, [new RosterMember("alice", RandomNumberGenerator.GetBytes(32)), new RosterMember("bob", RandomNumberGenerator.GetBytes(32))]);
        Sender = SenderKey.Create("lobby", "alice", View, DateTimeOffset.UtcNow);
        Receiver = new SenderKeyReceiver("lobby", SenderKeyOptions.Default);
        var parsed = SenderKeyDistribution.Parse(Sender.Distribution().Encode());
        if (!parsed.Succeeded || Receiver.Accept(parsed.Distribution!, "alice") != DistributionOutcome.Accepted)
            throw new InvalidOperationException("distribution failed");
    }

    public RosterView View { get; }

    public SenderKey Sender { get; }

    public SenderKeyReceiver Receiver { get; }

    public void Dispose()
    {
        Receiver.Dispose();
        Sender.Dispose();
    }
}
