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
        SigningKey = PublicKey.Import(SignatureAlgorithm.Ed25519, distribution.SigningKey, KeyBlobFormat.RawPublicKey);
        Roster = RosterView.Create(distribution.Epoch, distribution.Members);
    }

    public uint KeyId { get; }

    /// <summary>The iteration <see cref="ChainKey"/> is at.</summary>
    public uint Next { get; private set; }

    public byte[] ChainKey { get; private set; }

    public PublicKey SigningKey { get; }

    public RosterView Roster { get; }

    /// <summary>Takes ownership of <paramref name="chainKey"/>; wipes the old one.</summary>
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
