using Entice.Crypto.Primitives;
using NSec.Cryptography;

namespace Entice.Crypto.Group;

/// <summary>
/// The receiving half of one sender key: the chain at the next unread iteration, the sender's signing public
/// key and the member list the key was distributed with (what its messages bind).
/// </summary>
internal sealed class ReceivedSenderKey : IDisposable
{
    public ReceivedSenderKey(SenderKeyDistribution distribution)
    {
        KeyId = distribution.KeyId;
        Next = distribution.Iteration;
        ChainKey = distribution.ChainKey.ToArray();
        SigningPublicKey = distribution.SigningKey.ToArray();
        SigningKey = PublicKey.Import(SignatureAlgorithm.Ed25519, distribution.SigningKey, KeyBlobFormat.RawPublicKey);
        Roster = RosterView.Create(distribution.Epoch, distribution.Members);
    }

    public uint KeyId { get; }

    /// <summary>The iteration <see cref="ChainKey"/> is at.</summary>
    public uint Next { get; private set; }

    public byte[] ChainKey { get; private set; }

    public PublicKey SigningKey { get; }

    /// <summary>The raw 32 bytes of <see cref="SigningKey"/> (the saved form).</summary>
    public byte[] SigningPublicKey { get; }

    /// <summary>The key as it is now, in the distribution's form (the saved state); the caller wipes its chain key.</summary>
    public SenderKeyDistribution Snapshot(string room, string sender) =>
        new(room, sender, KeyId, Next, ChainKey.ToArray(), SigningPublicKey.ToArray(), Roster.Epoch, Roster.Members);

    public RosterView Roster { get; }

    /// <summary>Takes ownership of <paramref name="chainKey"/>; wipes the old one.</summary>
    /// <summary>The in-order step: the chain key overwritten in place with <paramref name="chainKey"/> (the caller wipes its copy).</summary>
    public void AdvanceInPlace(ReadOnlySpan<byte> chainKey, uint next)
    {
        chainKey.CopyTo(ChainKey);
        Next = next;
    }

    public void Advance(byte[] chainKey, uint next)
    {
        Kdf.Wipe(ChainKey);
        ChainKey = chainKey;
        Next = next;
    }

    public void Dispose()
    {
        Kdf.Wipe(ChainKey);
        ChainKey = [];
    }
}
