using System.Security.Cryptography;
using Entice.Crypto.Primitives;

namespace Entice.Crypto.Group;

/// <summary>
/// The sending half of one sender key: this client's chain for one room. Each message steps the chain
/// (MK = HMAC(CK, 0x01), CK' = HMAC(CK, 0x02), the old CK and MK are wiped), is encrypted once for the whole
/// room and signed with the key's Ed25519 private key, which never leaves this object. The key is made for
/// one roster (<see cref="Roster"/>): its messages bind that roster's epoch and member-set hash, and
/// <see cref="RotationNeeded"/> says when the sender must make a new one.
/// </summary>
public sealed class SenderKey : IDisposable
{
    // libsodium's Ed25519 secret key (seed || public key), pinned so the GC never leaves a copy behind; zeroed on dispose.
    private readonly byte[] secretKey;
    private byte[] chainKey;
    private readonly uint firstIteration;

    private SenderKey(string room, string sender, uint keyId, byte[] chainKey, uint iteration, ReadOnlySpan<byte> signingSeed, RosterView roster, DateTimeOffset createdAt, uint firstIteration)
    {
        if (!roster.Contains(sender))
            throw new ArgumentException("The sender must be a member of the roster its key is made for.", nameof(roster));
        Room = room;
        Sender = sender;
        KeyId = keyId;
        this.chainKey = chainKey;
        Iteration = iteration;
        this.firstIteration = firstIteration;
        secretKey = GC.AllocateArray<byte>(Libsodium.SignSecretKeySize, pinned: true);
        SigningPublicKey = new byte[Libsodium.SignPublicKeySize];
        Libsodium.SignSeedKeyPair(SigningPublicKey, secretKey, signingSeed);
        Roster = roster;
        CreatedAt = createdAt;
    }

    public string Room { get; }

    public string Sender { get; }

    /// <summary>Random, non-zero; names this key in every message so receivers find it by lookup.</summary>
    public uint KeyId { get; }

    /// <summary>The iteration the next message will carry.</summary>
    public uint Iteration { get; private set; }

    public byte[] SigningPublicKey { get; }

    /// <summary>The roster this key was made for and distributed with.</summary>
    public RosterView Roster { get; }

    public DateTimeOffset CreatedAt { get; }

    public long MessagesSent => Iteration - firstIteration;

    /// <summary>A fresh sender key: random chain key, random key id, new Ed25519 key pair.</summary>
    public static SenderKey Create(string room, string sender, RosterView roster, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(roster);
        uint keyId;
        do
        {
            keyId = (uint)RandomNumberGenerator.GetInt32(int.MinValue, int.MaxValue);
        }
        while (keyId == 0);

        Span<byte> seed = stackalloc byte[Libsodium.SignSeedSize];
        RandomNumberGenerator.Fill(seed);
        try
        {
            return new SenderKey(room, sender, keyId, RandomNumberGenerator.GetBytes(Kdf.HmacKeySize), 0, seed, roster, now, 0);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(seed);
        }
    }

    /// <summary>A sender key from given secrets (known-answer vectors; restoring saved state).</summary>
    internal static SenderKey FromSecrets(string room, string sender, uint keyId, ReadOnlySpan<byte> chainKey, uint iteration, ReadOnlySpan<byte> signingSeed, RosterView roster, DateTimeOffset createdAt, uint? firstIteration = null)
    {
        if (chainKey.Length != Kdf.HmacKeySize)
            throw new ArgumentException("A chain key is 32 bytes.", nameof(chainKey));
        if (signingSeed.Length != Libsodium.SignSeedSize)
            throw new ArgumentException("A signing seed is 32 bytes.", nameof(signingSeed));
        if (firstIteration > iteration)
            throw new ArgumentException("The first iteration cannot be after the current one.", nameof(firstIteration));
        return new SenderKey(room, sender, keyId, chainKey.ToArray(), iteration, signingSeed, roster, createdAt, firstIteration ?? iteration);
    }

    /// <summary>The iteration this key started at (a restored key keeps counting its messages from there).</summary>
    internal uint FirstIteration => firstIteration;

    /// <summary>The saved form's secrets: copies of the chain key and the signing seed (the caller wipes them).</summary>
    internal (byte[] ChainKey, byte[] SigningSeed) ExportSecrets()
    {
        ObjectDisposedException.ThrowIf(chainKey.Length == 0, this);
        return (chainKey.ToArray(), secretKey.AsSpan(0, Libsodium.SignSeedSize).ToArray());
    }

    /// <summary>Why this key must be replaced before the next message, given the sender's current view.</summary>
    public RotationReason RotationNeeded(RosterView current, DateTimeOffset now, SenderKeyOptions options) =>
        Iteration == uint.MaxValue ? RotationReason.MessageLimit : RotationPolicy.Check(Roster, current, MessagesSent, CreatedAt, now, options);

    /// <summary>
    /// Encrypts <paramref name="plaintext"/> (a <c>ChatPlaintext</c> encoding) once for the room and signs
    /// it; <paramref name="envelopeId"/> is the routing header's id, bound like in pairwise messages.
    /// </summary>
    public byte[] Encrypt(ReadOnlySpan<byte> plaintext, ulong envelopeId)
    {
        ObjectDisposedException.ThrowIf(chainKey.Length == 0, this);
        if (Iteration == uint.MaxValue)
            throw new InvalidOperationException("This sender key is used up; start a new one.");

        // header || ChaCha20-Poly1305(padded plaintext) || tag || Ed25519 signature, in one array: the plaintext
        // is padded and encrypted in place; AD and signed bytes are written on the stack (heap when long).
        var paddedLength = Padding.PaddedLength(plaintext.Length);
        var signedLength = GroupMessageHeader.Size + paddedLength + GroupMessageHeader.TagSize;
        var adLength = GroupCipher.FieldsLength(GroupLabels.AssociatedData, Room, Sender, GroupMessageHeader.Size);
        var toSignLength = GroupCipher.FieldsLength(GroupLabels.Signature, Room, Sender, signedLength);
        if (adLength < 0 || toSignLength < 0)
            throw new CryptoException("Text is not valid Unicode.");

        var message = new byte[signedLength + GroupMessageHeader.SignatureSize];
        var header = message.AsSpan(0, GroupMessageHeader.Size);
        new GroupMessageHeader(KeyId, Iteration, Roster.Epoch, Roster.MemberSetHash).Write(header);
        var associatedData = adLength <= StackFields ? stackalloc byte[adLength] : new byte[adLength];
        GroupCipher.WriteFields(associatedData, GroupLabels.AssociatedData, Room, Sender, envelopeId, header);

        Span<byte> messageKey = stackalloc byte[Kdf.HmacKeySize];
        Span<byte> nextChainKey = stackalloc byte[Kdf.HmacKeySize];
        try
        {
            Kdf.ChainStepInto(chainKey, messageKey, nextChainKey);
            var body = message.AsSpan(GroupMessageHeader.Size, paddedLength + GroupMessageHeader.TagSize);
            Padding.PadInto(plaintext, body[..paddedLength]);
            MessageCipher.SealInPlace(messageKey, associatedData, body, GroupLabels.MessageKeys);
            var toSign = toSignLength <= StackFields ? stackalloc byte[toSignLength] : new byte[toSignLength];
            GroupCipher.WriteFields(toSign, GroupLabels.Signature, Room, Sender, envelopeId, message.AsSpan(0, signedLength));
            Libsodium.SignDetached(message.AsSpan(signedLength), toSign, secretKey);
            // Signed: only now does the chain move (in place, the old chain key gone).
            nextChainKey.CopyTo(chainKey);
            Iteration++;
            return message;
        }
        catch
        {
            CryptographicOperations.ZeroMemory(message); // it may hold the plaintext
            throw;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(messageKey);
            CryptographicOperations.ZeroMemory(nextChainKey);
        }
    }

    // AD and signed bytes up to this size are written on the stack (a chat line signs a few hundred bytes).
    private const int StackFields = 2048;

    /// <summary>
    /// What each member gets over its pairwise session: the chain as it is now (a member given it later
    /// reads only from here on), the signing public key and the roster.
    /// </summary>
    public SenderKeyDistribution Distribution()
    {
        ObjectDisposedException.ThrowIf(chainKey.Length == 0, this);
        return new SenderKeyDistribution(Room, Sender, KeyId, Iteration, chainKey.ToArray(), SigningPublicKey.ToArray(), Roster.Epoch, Roster.Members);
    }

    /// <summary>
    /// The iteration the most recent <see cref="SavedDistribution"/> wrote (issue 17, the send reservation), and
    /// the one a durable save holds: messages below it may go out with no write.
    /// </summary>
    internal uint ExportedIteration { get; private set; }

    internal uint DurableIteration { get; private set; }

    // The chain as last saved, ahead of chainKey; reused while more than half of the reservation is left.
    private byte[]? reservedChain;

    /// <summary>
    /// The saved form: the chain <paramref name="reservation"/> steps ahead of the next iteration (0: as it is).
    /// A key restored from it resumes there, so no message key used before the save is used again, and the file
    /// never holds a chain that derives one.
    /// </summary>
    internal SenderKeyDistribution SavedDistribution(int reservation)
    {
        ObjectDisposedException.ThrowIf(chainKey.Length == 0, this);
        if (reservation <= 0)
        {
            ExportedIteration = Iteration;
            return Distribution();
        }

        var ahead = reservedChain is not null && ExportedIteration >= Iteration;
        if (!ahead || ExportedIteration - Iteration <= (uint)reservation / 2)
        {
            var target = (uint)Math.Min((ulong)Iteration + (uint)reservation, uint.MaxValue - 1);
            var (start, at) = ahead ? (reservedChain!, ExportedIteration) : (chainKey.ToArray(), Iteration);
            var chain = Kdf.StepChainTo(start, ref at, target);

            if (!ReferenceEquals(chain, reservedChain))
                Kdf.Wipe(reservedChain);
            reservedChain = chain;
            ExportedIteration = at;
        }

        return new SenderKeyDistribution(Room, Sender, KeyId, ExportedIteration, reservedChain!.ToArray(), SigningPublicKey.ToArray(), Roster.Epoch, Roster.Members);
    }

    /// <summary>The last saved distribution is on disk, flushed.</summary>
    internal void MarkDurable()
    {
        if (ExportedIteration > DurableIteration)
            DurableIteration = ExportedIteration;
    }

    public void Dispose()
    {
        Kdf.Wipe(chainKey);
        Kdf.Wipe(reservedChain);
        chainKey = [];
        CryptographicOperations.ZeroMemory(secretKey);
    }

    public override string ToString() => $"SenderKey({Room}, {Sender}, id {KeyId}, #{Iteration})";
}
