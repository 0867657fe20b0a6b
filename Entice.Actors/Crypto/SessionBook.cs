namespace Entice.Crypto;

/// <summary>
/// All pairwise sessions of one local party. Sessions are one-way for now (a Double Ratchet replaces this
/// later): to send to a peer we run X3DH as initiator once and step our own sending chain; what a peer
/// sends us arrives on its own chain, which we find by (peer name, EK) or create from the first message.
/// Ciphertext = header (version || EK || prekey id || N) || ChaCha20-Poly1305(padded plaintext).
/// A failed decryption changes no state: keys are derived on copies and committed only after the tag
/// verifies. Not thread-safe: one actor owns a book. The book does not own <c>me</c> or the prekey.
/// </summary>
public sealed class SessionBook : IDisposable
{
    private readonly IdentityKeys me;
    private readonly SignedPrekey myPrekey;
    private readonly int maxSkip;
    private readonly Dictionary<string, SendingSession> sending = new(StringComparer.Ordinal);
    private readonly Dictionary<ChainId, ReceivingSession> receiving = [];

    // Chains dropped by ForgetPeer: a replay of their old messages must not resurrect them via X3DH.
    private readonly HashSet<ChainId> retired = [];
    private readonly SkippedMessageKeys skipped;
    private bool disposed;

    public SessionBook(IdentityKeys me, string myName, SignedPrekey myPrekey, int maxSkip = 1000)
    {
        ArgumentNullException.ThrowIfNull(me);
        ArgumentNullException.ThrowIfNull(myName);
        ArgumentNullException.ThrowIfNull(myPrekey);
        ArgumentOutOfRangeException.ThrowIfNegative(maxSkip);
        this.me = me;
        MyName = myName;
        this.myPrekey = myPrekey;
        this.maxSkip = maxSkip;
        skipped = new SkippedMessageKeys(maxSkip);
    }

    public string MyName { get; }

    /// <summary>How many skipped message keys are held (never more than maxSkip).</summary>
    internal int SkippedKeyCount => skipped.Count;

    /// <summary>
    /// Encrypt <paramref name="plaintext"/> (padded here) to <paramref name="peer"/> for this context.
    /// Throws <see cref="CryptoException"/> when the peer's bundle is forged or its keys are unusable.
    /// </summary>
    public byte[] Encrypt(PeerKeys peer, MessageContext ctx, ReadOnlySpan<byte> plaintext)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        ArgumentNullException.ThrowIfNull(peer);
        ArgumentNullException.ThrowIfNull(ctx);
        if (!IdentitySignatures.VerifyBundle(peer.Bundle))
        {
            throw new CryptoException("The peer's key bundle has an invalid signature.");
        }

        var session = SendingSessionFor(peer);
        var header = new SessionHeader(session.EphemeralKey, session.PrekeyId, session.NextIndex).Encode();
        // Built before the chain steps, so a context that cannot be encoded costs no message key.
        var associatedData = MessageCipher.AssociatedData(me.Public, session.PeerIdentity, header, ctx);
        var messageKey = session.NextMessageKey();
        var padded = Padding.Pad(plaintext);
        try
        {
            return [.. header, .. MessageCipher.Seal(messageKey, associatedData, padded)];
        }
        finally
        {
            Kdf.Wipe(messageKey);
            Kdf.Wipe(padded);
        }
    }

    /// <summary>Decrypt a ciphertext from <paramref name="sender"/> under this context. Never throws on bad input.</summary>
    public DecryptResult Decrypt(PeerKeys sender, MessageContext ctx, ReadOnlySpan<byte> ciphertext)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        ArgumentNullException.ThrowIfNull(sender);
        ArgumentNullException.ThrowIfNull(ctx);

        if (!SessionHeader.TryParse(ciphertext, out var header) || header is null)
        {
            return DecryptResult.Fail(DecryptFailure.Malformed);
        }

        var body = ciphertext[SessionHeader.Size..];
        var paddedLength = body.Length - MessageCipher.TagSize;
        if (paddedLength < Padding.BlockSize || paddedLength % Padding.BlockSize != 0)
        {
            return DecryptResult.Fail(DecryptFailure.Malformed);
        }

        if (header.PrekeyId != myPrekey.Id)
        {
            return DecryptResult.Fail(DecryptFailure.UnknownPrekey);
        }

        if (sender.Name is null || !IdentitySignatures.VerifyBundle(sender.Bundle))
        {
            return DecryptResult.Fail(DecryptFailure.Invalid);
        }

        var initiator = sender.Identity;
        byte[] associatedData;
        try
        {
            associatedData = MessageCipher.AssociatedData(initiator, me.Public, ciphertext[..SessionHeader.Size].ToArray(), ctx);
        }
        catch (CryptoException)
        {
            return DecryptResult.Fail(DecryptFailure.Malformed);
        }

        var chain = ChainId.For(sender.Name, header.EphemeralKey);
        if (retired.Contains(chain))
        {
            return DecryptResult.Fail(DecryptFailure.Replay);
        }

        if (receiving.TryGetValue(chain, out var session))
        {
            if (!session.Initiator.SameKeysAs(initiator))
            {
                return DecryptResult.Fail(DecryptFailure.Invalid);
            }

            return header.Index < session.NextIndex
                ? OpenWithSkippedKey(chain, header.Index, associatedData, body)
                : OpenAhead(chain, session, header.Index, associatedData, body);
        }

        // Checked before X3DH: no reason to spend three DHs on a message we would refuse anyway.
        if (header.Index > (ulong)maxSkip)
        {
            return DecryptResult.Fail(DecryptFailure.TooFarAhead);
        }

        var fresh = StartReceiving(initiator, header.EphemeralKey);
        if (fresh is null)
        {
            return DecryptResult.Fail(DecryptFailure.Invalid);
        }

        var result = OpenAhead(chain, fresh, header.Index, associatedData, body);
        if (result.Succeeded)
        {
            receiving.Add(chain, fresh);
        }
        else
        {
            fresh.Dispose();
        }

        return result;
    }

    /// <summary>Drop every session with this peer (both directions) and its skipped keys.</summary>
    public void ForgetPeer(string name)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        ArgumentNullException.ThrowIfNull(name);
        if (sending.Remove(name, out var outgoing))
        {
            outgoing.Dispose();
        }

        foreach (var chain in receiving.Keys.Where(chain => chain.Peer == name).ToList())
        {
            receiving.Remove(chain, out var incoming);
            incoming!.Dispose();
            retired.Add(chain);
        }

        skipped.RemovePeer(name);
    }

    public void Dispose()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        foreach (var session in sending.Values)
        {
            session.Dispose();
        }

        foreach (var session in receiving.Values)
        {
            session.Dispose();
        }

        sending.Clear();
        receiving.Clear();
        skipped.Dispose();
    }

    public override string ToString() => $"SessionBook({MyName}, {sending.Count} out, {receiving.Count} in)";

    private SendingSession SendingSessionFor(PeerKeys peer)
    {
        if (sending.TryGetValue(peer.Name, out var existing) && existing.WasMadeFor(peer.Bundle) && !existing.Exhausted)
        {
            return existing;
        }

        // New identity keys, a new prekey or a used-up chain: agree afresh rather than reuse the old chain.
        var (sharedKey, ephemeralKey) = X3dh.Initiate(me, peer.Bundle);
        byte[] chainKey;
        try
        {
            chainKey = Kdf.Hkdf(sharedKey, KdfLabels.ZeroSalt, KdfLabels.Chain, Kdf.HmacKeySize);
        }
        finally
        {
            Kdf.Wipe(sharedKey);
        }

        var bundle = peer.Bundle;
        var created = new SendingSession(
            new PublicIdentity([.. bundle.SigningKey], [.. bundle.DhKey], [.. bundle.BindingSignature]),
            bundle.PrekeyId,
            [.. bundle.Prekey],
            ephemeralKey,
            chainKey);
        existing?.Dispose();
        sending[peer.Name] = created;
        return created;
    }

    private ReceivingSession? StartReceiving(PublicIdentity initiator, byte[] ephemeralKey)
    {
        byte[] sharedKey;
        try
        {
            sharedKey = X3dh.Respond(me, myPrekey, initiator, ephemeralKey);
        }
        catch (CryptoException)
        {
            return null;
        }

        try
        {
            var chainKey = Kdf.Hkdf(sharedKey, KdfLabels.ZeroSalt, KdfLabels.Chain, Kdf.HmacKeySize);
            var pinned = new PublicIdentity([.. initiator.SigningKey], [.. initiator.DhKey], [.. initiator.BindingSignature]);
            return new ReceivingSession(pinned, chainKey);
        }
        finally
        {
            Kdf.Wipe(sharedKey);
        }
    }

    private DecryptResult OpenAhead(ChainId chain, ReceivingSession session, uint index, byte[] associatedData, ReadOnlySpan<byte> body)
    {
        if (index - session.NextIndex > (ulong)maxSkip)
        {
            return DecryptResult.Fail(DecryptFailure.TooFarAhead);
        }

        using var advance = session.Preview(index);
        var padded = MessageCipher.Open(advance.MessageKey, associatedData, body);
        if (padded is null)
        {
            return DecryptResult.Fail(DecryptFailure.Invalid);
        }

        try
        {
            if (!Padding.TryUnpad(padded, out var plaintext))
            {
                return DecryptResult.Fail(DecryptFailure.Malformed);
            }

            // Authentic: now, and only now, move the chain and keep the keys of the messages we skipped.
            session.Commit(advance.TakeNextChainKey(), (ulong)index + 1);
            skipped.AddRange(chain, advance.TakeSkippedKeys());
            return DecryptResult.Success(plaintext);
        }
        finally
        {
            Kdf.Wipe(padded);
        }
    }

    private DecryptResult OpenWithSkippedKey(ChainId chain, uint index, byte[] associatedData, ReadOnlySpan<byte> body)
    {
        if (!skipped.TryGet(chain, index, out var messageKey))
        {
            return DecryptResult.Fail(DecryptFailure.Replay);
        }

        var padded = MessageCipher.Open(messageKey, associatedData, body);
        if (padded is null)
        {
            return DecryptResult.Fail(DecryptFailure.Invalid);
        }

        try
        {
            if (!Padding.TryUnpad(padded, out var plaintext))
            {
                return DecryptResult.Fail(DecryptFailure.Malformed);
            }

            skipped.Remove(chain, index);
            return DecryptResult.Success(plaintext);
        }
        finally
        {
            Kdf.Wipe(padded);
        }
    }
}
